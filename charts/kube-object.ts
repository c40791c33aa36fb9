// Built-in Kubernetes objects, typed by cdk8s-plus-30's k8s bindings and rendered by cdk8s'
// own ApiObject. A binding class (KubeDeployment, …) renders like any ApiObject (resolve, drop
// empty values, sort keys) and then copies the result once more through its generated toJson_*
// functions, which rebuild every object with one spread per field: a third of cdk8s' rendering
// on a large lab. For built-in kinds that copy changes nothing except IntOrString and Quantity,
// which hold their value in a wrapper; a KubeObject unwraps those when it is built. A test
// renders every object of the reference and large labs both ways and compares the text.
import { ApiObject, type GroupVersionKind } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Construct } from "constructs";

export class KubeObject<Props extends object = object> extends ApiObject {
  /** The props as given, wrappers and all (the equivalence test renders them through the binding). */
  readonly kubeProps: Props;

  /** ApiObject makes `instanceof` true for every ApiObject; for this class it means what it says. */
  static [Symbol.hasInstance](value: unknown): value is KubeObject {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(scope: Construct, id: string, gvk: GroupVersionKind, props: Props) {
    super(scope, id, { ...gvk, ...unwrapUnions(props) });
    this.kubeProps = props;
  }
}

/** A KubeObject class for one kind, constructed like its binding: `new kube.Deployment(scope, id, props)`. */
function kind<Props extends object>(gvk: GroupVersionKind) {
  return class extends KubeObject<Props> {
    constructor(scope: Construct, id: string, props: Props) {
      super(scope, id, gvk, props);
    }
  };
}

/** The built-in kinds this project renders. */
export const kube = {
  ClusterRole: kind<k8s.KubeClusterRoleProps>(k8s.KubeClusterRole.GVK),
  ClusterRoleBinding: kind<k8s.KubeClusterRoleBindingProps>(k8s.KubeClusterRoleBinding.GVK),
  DaemonSet: kind<k8s.KubeDaemonSetProps>(k8s.KubeDaemonSet.GVK),
  Deployment: kind<k8s.KubeDeploymentProps>(k8s.KubeDeployment.GVK),
  Namespace: kind<k8s.KubeNamespaceProps>(k8s.KubeNamespace.GVK),
  NetworkPolicy: kind<k8s.KubeNetworkPolicyProps>(k8s.KubeNetworkPolicy.GVK),
  PersistentVolumeClaim: kind<k8s.KubePersistentVolumeClaimProps>(k8s.KubePersistentVolumeClaim.GVK),
  RuntimeClass: kind<k8s.KubeRuntimeClassProps>(k8s.KubeRuntimeClass.GVK),
  Secret: kind<k8s.KubeSecretProps>(k8s.KubeSecret.GVK),
  Service: kind<k8s.KubeServiceProps>(k8s.KubeService.GVK),
  ServiceAccount: kind<k8s.KubeServiceAccountProps>(k8s.KubeServiceAccount.GVK),
};

/** A copy of plain objects and arrays with IntOrString and Quantity replaced by their values. */
function unwrapUnions(value: unknown): any {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(unwrapUnions);
  if (value instanceof k8s.IntOrString || value instanceof k8s.Quantity) return value.value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = unwrapUnions((value as Record<string, unknown>)[key]);
  return result;
}
