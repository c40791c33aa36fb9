// Cluster operations: metrics-server (resource metrics for HPA and `kubectl top`) and kured
// (coordinated reboots after unattended upgrades, inside the spec's window).
import type { Cluster } from "../../cluster/schema";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

export function metricsServer(cluster: Cluster): PlatformComponent {
  return {
    name: "metrics-server",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.metricsServer, cluster.platform.metricsServer.version),
      releaseName: "metrics-server",
      // k3s kubelets serve self-signed certificates, so metrics-server cannot verify them.
      values: { args: ["--kubelet-insecure-tls", "--kubelet-preferred-address-types=InternalIP"] },
    },
    summary: "resource metrics API (replaces the k3s-bundled copy, which bootstrap disables)",
  };
}

export function kured(cluster: Cluster): PlatformComponent {
  const s = cluster.platform.kured;
  return {
    name: "kured",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.kured, s.version),
      releaseName: "kured",
      values: {
        configuration: {
          period: "1h",
          rebootDays: s.rebootDays,
          startTime: s.startTime,
          endTime: s.endTime,
          timeZone: s.timeZone,
          drainTimeout: "15m",
          // Longhorn volumes detach cleanly only when their pods are evicted first.
          drainGracePeriod: "60",
        },
        // Reboot every node, GPU and VPN workers and control planes included.
        tolerations: [{ operator: "Exists" }],
      },
    },
    summary: `reboots one node at a time on ${s.rebootDays.join(",")} ${s.startTime}-${s.endTime} ${s.timeZone}, 15 min drain timeout`,
  };
}
