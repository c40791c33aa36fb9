// The platform of a spec: every enabled component, in dependency order.
import type { Cluster } from "../../cluster/schema";
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

export function platformComponents(cluster: Cluster): PlatformComponent[] {
  const p = cluster.platform;
  const gatewayOn = p.gatewayApi.enabled && p.cilium.enabled && p.certManager.enabled;
  const candidates: [boolean, (c: Cluster) => PlatformComponent][] = [
    [p.gatewayApi.enabled, gatewayApi],
    [p.cilium.enabled, cilium],
    [p.certManager.enabled, certManager],
    [gatewayOn, gateway],
    [p.externalDns.enabled, externalDns],
    [p.longhorn.enabled, longhorn],
    [p.argocd.enabled, argocd],
    [p.victoriaMetrics.enabled, victoriaMetrics],
    [p.victoriaLogs.enabled, victoriaLogs],
    [p.metricsServer.enabled, metricsServer],
    [p.kured.enabled, kured],
    [p.nvidiaDevicePlugin.enabled, nvidiaDevicePlugin],
    [p.amdGpuPlugin.enabled, amdGpuPlugin],
    [p.intelGpuPlugin.enabled, intelGpuPlugin],
    [p.systemUpgrade.enabled, systemUpgrade],
  ];
  const components = candidates.filter(([on]) => on).map(([, make]) => make(cluster));
  // A dependency on a disabled component is dropped: the operator chose to run without it.
  const names = new Set(components.map((c) => c.name));
  return components.map((c) => ({ ...c, dependsOn: c.dependsOn.filter((d) => names.has(d)) }));
}
