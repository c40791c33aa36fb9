// A speed shortcut (lib/plain-mode.ts) for the Kubernetes kinds we render by the hundred. The
// generated binding classes (cdk8s-plus-30's Kube*, the HTTPRoute binding) render like any
// ApiObject — resolve, drop empty values, sort keys — and then copy the result once more through
// generated toJson_* functions that rebuild every object field by field. For these kinds that copy
// renames no key; it only unwraps IntOrString and Quantity, which hold their value in a wrapper.
// kubeObject() takes the binding's typed props, unwraps those two and renders through ApiObject
// alone. Every object of these kinds is built through it, so each kind is built one way; with
// HOMELAB_PLAIN=1 it builds the binding itself, and a test compares the two outputs byte for byte.
import { ApiObject, type GroupVersionKind } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Construct } from "constructs";
import { HttpRoute } from "../imports/gateway-api-httproute-gateway.networking.k8s.io";
import { plainMode } from "./plain-mode";

/** A generated binding class: its kind, and a constructor that types the props. */
export interface Binding<Props> {
  readonly GVK: GroupVersionKind;
  new (scope: Construct, id: string, props: Props): ApiObject;
}

/** The bindings whose second copy renames no key (the kinds above; each checked by the test). */
const direct: ReadonlySet<Binding<never>> = new Set<Binding<never>>([
  k8s.KubeClusterRole,
  k8s.KubeClusterRoleBinding,
  k8s.KubeDaemonSet,
  k8s.KubeDeployment,
  k8s.KubeNamespace,
  k8s.KubeNetworkPolicy,
  k8s.KubePersistentVolumeClaim,
  k8s.KubeRuntimeClass,
  k8s.KubeSecret,
  k8s.KubeService,
  k8s.KubeServiceAccount,
  HttpRoute,
]);

export function kubeObject<Props extends object>(binding: Binding<Props>, scope: Construct, id: string, props: Props): ApiObject {
  if (!direct.has(binding as Binding<never>)) throw new Error(`internal: kubeObject() does not know ${binding.GVK.kind}; build it with its binding`);
  return plainMode() ? new binding(scope, id, props) : new ApiObject(scope, id, { ...binding.GVK, ...unwrapUnions(props) });
}

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
