// One chart per platform component: its Namespace (labelled with its Pod Security level)
// and its own typed objects, rendered into dist/k8s/<component>/. The props are what a
// component function returns from its own flat props, e.g. `cilium({ apiServer, loadBalancerPool })`.
import type { Construct } from "constructs";
import { HomelabChart } from "./homelab-chart";
import { namespace } from "./namespaces";
import { systemNamespaces, type PlatformComponent } from "./platform/component";

export class PlatformComponentChart extends HomelabChart {
  constructor(scope: Construct, id: string, component: PlatformComponent) {
    super(scope, id, { appName: component.name, namespace: component.namespace });
    if (!systemNamespaces.has(component.namespace) && !component.upstreamCreatesNamespace) namespace(this, component.namespace, component.podSecurity);
    component.manifests?.(this);
  }

  /** Whether this component has anything of ours to render (else its Application has no directory source). */
  static hasObjects(component: PlatformComponent): boolean {
    return (
      (!systemNamespaces.has(component.namespace) && !component.upstreamCreatesNamespace) ||
      component.manifests !== undefined ||
      !!component.sealedSecrets?.length
    );
  }
}
