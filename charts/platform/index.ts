// The platform of a spec: what each of its platform components deploys, in dependency order.
// This is the one adapter from the spec's platform section to the components' props; the table
// below has an entry for every key of that section, so a component cannot be validated and then
// ignored.
import type { Cluster, PlatformComponentName } from "../../cluster/schema";
import { argocd } from "./argocd";
import { certManager } from "./cert-manager";
import { cilium } from "./cilium";
import { kured, metricsServer } from "./cluster-ops";
import type { PlatformComponent } from "./component";
import { externalDns } from "./external-dns";
import { gateway } from "./gateway";
import { gatewayApi } from "./gateway-api";
import { amdGpuPlugin, intelGpuPlugin, nvidiaDevicePlugin } from "./gpu-plugins";
import { longhorn } from "./longhorn";
import { victoriaLogs, victoriaMetrics } from "./observability";
import { systemUpgrade } from "./system-upgrade";

/** What each spec key deploys through Argo CD; none for a component k3s itself runs. */
const components: { readonly [K in PlatformComponentName]: (cluster: Cluster) => PlatformComponent | undefined } = {
  gatewayApi: (c) => gatewayApi({ version: c.platform.gatewayApi.version }),
  cilium: (c) => cilium({ apiServer: { host: c.network.apiVip, port: 6443 }, loadBalancerPool: c.network.loadBalancerPool, version: c.platform.cilium.version }),
  // k3s ships CoreDNS itself; the switch goes into the k3s config (infra/bootstrap/k3s-config.ts).
  coredns: () => undefined,
  certManager: (c) => certManager({ ...c.platform.certManager, domain: c.domain }),
  externalDns: (c) => externalDns({ ...c.platform.externalDns, domain: c.domain, ownerId: c.name }),
  longhorn: (c) => longhorn(c.platform.longhorn),
  argocd: (c) => argocd({ domain: c.domain, version: c.platform.argocd.version }),
  victoriaMetrics: (c) => victoriaMetrics(c.platform.victoriaMetrics),
  victoriaLogs: (c) => victoriaLogs(c.platform.victoriaLogs),
  metricsServer: (c) => metricsServer(c.platform.metricsServer),
  kured: (c) => kured(c.platform.kured),
  nvidiaDevicePlugin: (c) => nvidiaDevicePlugin(c.platform.nvidiaDevicePlugin),
  amdGpuPlugin: (c) => amdGpuPlugin(c.platform.amdGpuPlugin),
  intelGpuPlugin: (c) => intelGpuPlugin(c.platform.intelGpuPlugin),
  systemUpgrade: (c) => systemUpgrade({ k3sVersion: c.k3s.version, version: c.platform.systemUpgrade.version }),
};

/** One component as the spec configures it (the bootstrap installs some before Argo CD runs). */
export function platformComponent(cluster: Cluster, key: PlatformComponentName): PlatformComponent | undefined {
  return components[key](cluster);
}

/** The shared Gateway needs the Gateway API, its controller (Cilium) and certificates. */
function sharedGatewayOf(cluster: Cluster): PlatformComponent | undefined {
  const p = cluster.platform;
  if (!p.gatewayApi.enabled || !p.cilium.enabled || !p.certManager.enabled) return undefined;
  return gateway({ domain: cluster.domain, ingressIp: cluster.network.ingressIp, issuer: p.certManager.issuer });
}

export function platformComponents(cluster: Cluster): PlatformComponent[] {
  const enabled = (Object.keys(components) as PlatformComponentName[]).filter((key) => cluster.platform[key].enabled);
  const deployed = enabled.map((key) => components[key](cluster)).filter((c): c is PlatformComponent => c !== undefined);
  const shared = sharedGatewayOf(cluster);
  // After cert-manager, as before: the order of Applications in the rendered list.
  if (shared) deployed.splice(deployed.findIndex((c) => c.name === "cert-manager") + 1, 0, shared);
  // A dependency on a disabled component is dropped: the operator chose to run without it.
  const names = new Set(deployed.map((c) => c.name));
  return deployed.map((c) => ({ ...c, dependsOn: c.dependsOn.filter((d) => names.has(d)) }));
}
