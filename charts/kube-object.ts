// Kubernetes objects typed by their generated bindings and rendered by cdk8s' own ApiObject. A
// binding class (KubeDeployment, HttpRoute, …) renders like any ApiObject (resolve, drop empty
// values, sort keys), then copies the result once more through generated toJson_* functions
// that rebuild every object with one spread per field: a third of cdk8s' rendering on a large
// lab. For the kinds below that copy changes no key; it only unwraps IntOrString and
// Quantity, which hold their value in a wrapper, and a KubeObject does that when it is built.
// A test renders every object of the reference and large labs both ways and compares the text.
import { ApiObject, type GroupVersionKind } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Construct } from "constructs";
import { HttpRoute } from "../imports/gateway-api-httproute-gateway.networking.k8s.io";

/** A generated binding class: its kind, and a constructor that types the props. */
export interface Binding<Props> {
  readonly GVK: GroupVersionKind;
  new (scope: Construct, id: string, props: Props): ApiObject;
}

export class KubeObject<Props extends object = object> extends ApiObject {
  /** ApiObject makes `instanceof` true for every ApiObject; for this class it means what it says. */
  static [Symbol.hasInstance](value: unknown): value is KubeObject {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /**
   * @param binding the generated class this object stands in for
   * @param bindingProps as the binding takes them (kept, wrappers and all, for the equivalence test)
   */
  constructor(scope: Construct, id: string, readonly binding: Binding<Props>, readonly bindingProps: Props) {
    super(scope, id, { ...binding.GVK, ...unwrapUnions(bindingProps) });
  }
}

/** A KubeObject class for one binding, constructed like it: `new kube.Deployment(scope, id, props)`. */
function kind<Props extends object>(binding: Binding<Props>) {
  return class extends KubeObject<Props> {
    constructor(scope: Construct, id: string, props: Props) {
      super(scope, id, binding, props);
    }
  };
}

/** The kinds this project renders as KubeObjects: built-in kinds, and the one CRD we render per app. */
export const kube = {
  ClusterRole: kind(k8s.KubeClusterRole),
  ClusterRoleBinding: kind(k8s.KubeClusterRoleBinding),
  DaemonSet: kind(k8s.KubeDaemonSet),
  Deployment: kind(k8s.KubeDeployment),
  HttpRoute: kind(HttpRoute),
  Namespace: kind(k8s.KubeNamespace),
  NetworkPolicy: kind(k8s.KubeNetworkPolicy),
  PersistentVolumeClaim: kind(k8s.KubePersistentVolumeClaim),
  RuntimeClass: kind(k8s.KubeRuntimeClass),
  Secret: kind(k8s.KubeSecret),
  Service: kind(k8s.KubeService),
  ServiceAccount: kind(k8s.KubeServiceAccount),
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
