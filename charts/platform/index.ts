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
import { sealedSecrets, sealedSecretsFacts } from "./sealed-secrets";
import { victoriaLogs, victoriaMetrics } from "./observability";
import { systemUpgrade, systemUpgradeFacts } from "./system-upgrade";
import { snapshotController, snapshotControllerFacts } from "./snapshot-controller";
import { volsync, volsyncFacts } from "./volsync";
import { backupRepositoryComponent } from "./backup-repository";
import { appBackupsOf } from "../../cluster/app-backups";
import { argocdFacts } from "./argocd";
import { certManagerFacts } from "./cert-manager";
import { ciliumFacts } from "./cilium";
import { kuredFacts, metricsServerFacts } from "./cluster-ops";
import { externalDnsFacts } from "./external-dns";
import { gatewayApiFacts } from "./gateway-api";
import { amdGpuPluginFacts, intelGpuPluginFacts, nvidiaDevicePluginFacts } from "./gpu-plugins";
import { longhornFacts } from "./longhorn";
import { victoriaLogsFacts, victoriaMetricsFacts } from "./observability";
import type { UpstreamFacts } from "./upstream-facts";
import { directAccessPolicyName, dnsZoneOf } from "../../cluster/contract";
import { appPlacement } from "../apps/app-props";
import { placementNodes } from "../apps/app-placement";

/** What each spec key deploys through Argo CD; none for a component k3s itself runs. */
const components: { readonly [K in PlatformComponentName]: (cluster: Cluster) => PlatformComponent | undefined } = {
  gatewayApi: (c) => gatewayApi({ version: c.platform.gatewayApi.version }),
  // k3s's own local API endpoint on every node, which needs neither the VIP (kube-vip) nor
  // Service routing (Cilium itself): the kube-apiserver on servers, the client load balancer on
  // agents (infra/bootstrap/k3s-facts.ts). Through the VIP, the two waited for each other.
  cilium: (c) =>
    cilium({
      apiServer: { host: "127.0.0.1", port: 6444 },
      loadBalancerPool: c.network.loadBalancerPool,
      dedicatedAnnouncements: c.apps
        .filter((a) => a.enabled && a.loadBalancerIp)
        .map((a) => ({ name: directAccessPolicyName(a.namespace, a.name), nodes: placementNodes(appPlacement(c, a)) })),
      version: c.platform.cilium.version,
    }),
  // k3s ships CoreDNS itself; the switch goes into the k3s config (infra/bootstrap/k3s-config.ts).
  coredns: () => undefined,
  sealedSecrets: (c) => sealedSecrets(c.platform.sealedSecrets),
  certManager: (c) => certManager({ ...c.platform.certManager, zone: dnsZoneOf(c) }),
  externalDns: (c) => externalDns({ ...c.platform.externalDns, zone: dnsZoneOf(c), domain: c.domain, ownerId: c.name }),
  longhorn: (c) => longhorn(c.platform.longhorn),
  argocd: (c) => argocd({ domain: c.domain, version: c.platform.argocd.version }),
  victoriaMetrics: (c) => victoriaMetrics({ ...c.platform.victoriaMetrics, certManager: c.platform.certManager.enabled }),
  victoriaLogs: (c) => victoriaLogs(c.platform.victoriaLogs),
  metricsServer: (c) => metricsServer(c.platform.metricsServer),
  kured: (c) => kured({ ...c.platform.kured, timeZone: c.platform.kured.timeZone ?? c.timeZone }),
  nvidiaDevicePlugin: (c) =>
    nvidiaDevicePlugin({ version: c.platform.nvidiaDevicePlugin.version, timeSlicing: c.platform.nvidiaDevicePlugin.timeSlicing?.replicas }),
  amdGpuPlugin: (c) => amdGpuPlugin(c.platform.amdGpuPlugin),
  intelGpuPlugin: (c) => intelGpuPlugin(c.platform.intelGpuPlugin),
  systemUpgrade: (c) => systemUpgrade({ k3sVersion: c.k3s.version, version: c.platform.systemUpgrade.version }),
  snapshotController: (c) => snapshotController({ version: c.platform.snapshotController.version, longhorn: c.platform.longhorn.enabled }),
  volsync: (c) => {
    const backups = appBackupsOf(c);
    const { schedule, keep, version } = c.platform.volsync;
    const retain = backups?.retain ?? Object.fromEntries(Object.entries(keep).filter(([, n]) => n > 0));
    return volsync({ version, schedule, retain, ...(backups ? { repository: `${backups.sharedDirectory}:${backups.hostDirectory}` } : {}) });
  },
};

/** The component that decrypts SealedSecrets. */
export const sealedSecretsName = "sealed-secrets";

/** One component as the spec configures it (the bootstrap installs some before Argo CD runs). */
export function platformComponent(cluster: Cluster, key: PlatformComponentName): PlatformComponent | undefined {
  return components[key](cluster);
}

/** Whether the lab carries the Gateway's certificate across a rebuild: a shared Gateway and app backups (charts/platform/certificate-carry.ts). */
export function carriesCertificate(cluster: Cluster): boolean {
  return sharedGatewayOf(cluster) !== undefined && appBackupsOf(cluster) !== undefined;
}

/** The shared Gateway needs the Gateway API, its controller (Cilium) and certificates. */
function sharedGatewayOf(cluster: Cluster): PlatformComponent | undefined {
  const p = cluster.platform;
  if (!p.gatewayApi.enabled || !p.cilium.enabled || !p.certManager.enabled) return undefined;
  return gateway({
    domain: cluster.domain,
    ingressIp: cluster.network.ingressIp,
    issuer: p.certManager.issuer,
    ...(p.argocd.enabled ? { argocdHost: `argocd.${cluster.domain}` } : {}),
    carryCertificate: appBackupsOf(cluster) !== undefined,
  });
}

export function platformComponents(cluster: Cluster): PlatformComponent[] {
  const enabled = (Object.keys(components) as PlatformComponentName[]).filter((key) => cluster.platform[key].enabled);
  const deployed = enabled.map((key) => components[key](cluster)).filter((c): c is PlatformComponent => c !== undefined);
  const shared = sharedGatewayOf(cluster);
  // After cert-manager, as before: the order of Applications in the rendered list.
  if (shared) deployed.splice(deployed.findIndex((c) => c.name === "cert-manager") + 1, 0, shared);
  // The app backups' repository server, after VolSync: it exists only for the apps' volumes.
  const backups = appBackupsOf(cluster);
  if (backups) deployed.push(backupRepositoryComponent(backups, { carryCertificate: shared !== undefined }));
  // A dependency on a disabled component is dropped: the operator chose to run without it.
  const names = new Set(deployed.map((c) => c.name));
  return deployed.map((c) => ({ ...c, dependsOn: [...c.dependsOn, ...sealedSecretsFirst(c)].filter((d) => names.has(d)) }));
}

/** A component whose Secrets are sealed syncs after the controller that decrypts them (its SealedSecrets stay Progressing until then). */
function sealedSecretsFirst(component: PlatformComponent): string[] {
  return component.sealedSecrets?.length && !component.dependsOn.includes(sealedSecretsName) ? [sealedSecretsName] : [];
}

/** The facts of every upstream chart and manifest set a component can deploy, by upstream name. */
export const upstreamFacts: ReadonlyMap<string, UpstreamFacts> = new Map(
  [
    ciliumFacts,
    argocdFacts,
    sealedSecretsFacts,
    certManagerFacts,
    externalDnsFacts,
    longhornFacts,
    victoriaMetricsFacts,
    victoriaLogsFacts,
    metricsServerFacts,
    kuredFacts,
    nvidiaDevicePluginFacts,
    amdGpuPluginFacts,
    intelGpuPluginFacts,
    gatewayApiFacts,
    systemUpgradeFacts,
    snapshotControllerFacts,
    volsyncFacts,
  ].map((f) => [f.upstream, f]),
);
