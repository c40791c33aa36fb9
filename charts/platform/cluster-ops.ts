// Cluster operations: metrics-server (resource metrics for HPA and `kubectl top`) and kured
// (coordinated reboots after unattended upgrades, inside the spec's window).
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

export interface VersionProps {
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function metricsServer(props: VersionProps = {}): PlatformComponent {
  return {
    name: "metrics-server",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.metricsServer, props.version),
      releaseName: "metrics-server",
      // k3s kubelets serve self-signed certificates, so metrics-server cannot verify them.
      values: { args: ["--kubelet-insecure-tls", "--kubelet-preferred-address-types=InternalIP"] },
    },
    summary: "resource metrics API (replaces the k3s-bundled copy, which bootstrap disables)",
  };
}

export interface KuredProps extends VersionProps {
  /** Days reboots may happen on (mo … su). */
  readonly rebootDays: readonly string[];
  /** The reboot window, HH:MM in timeZone. */
  readonly startTime: string;
  readonly endTime: string;
  /** IANA time zone of the window. */
  readonly timeZone: string;
}

export function kured(props: KuredProps): PlatformComponent {
  const s = props;
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
