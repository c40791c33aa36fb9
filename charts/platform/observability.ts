// Metrics and logs: the VictoriaMetrics k8s stack (vmsingle, vmagent, node-exporter,
// kube-state-metrics, Grafana) and VictoriaLogs with its Vector log collector, on Longhorn.
import { storageClassName } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

export interface RetentionProps {
  /** How long data is kept, e.g. 30d. */
  readonly retention: string;
  /** Size of its Longhorn volume. */
  readonly storageGiB: number;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function victoriaMetrics(props: RetentionProps): PlatformComponent {
  const settings = props;
  return {
    name: "victoria-metrics",
    namespace: "monitoring",
    podSecurity: "privileged", // node-exporter reads the host
    dependsOn: ["longhorn"],
    helm: {
      chart: chartVersion(helmCharts.victoriaMetrics, settings.version),
      releaseName: "vmks",
      values: {
        vmsingle: {
          spec: {
            retentionPeriod: settings.retention,
            storage: { storageClassName, resources: { requests: { storage: `${settings.storageGiB}Gi` } } },
          },
        },
        grafana: { enabled: true, persistence: { enabled: true, storageClassName, size: "5Gi" } },
        // k3s runs these inside the server process; there is nothing separate to scrape.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
      },
    },
    serverSideApply: true,
    summary: `vmsingle (${settings.retention}, ${settings.storageGiB} GiB on Longhorn), vmagent, node-exporter, kube-state-metrics, Grafana`,
  };
}

export function victoriaLogs(props: RetentionProps): PlatformComponent {
  const settings = props;
  return {
    name: "victoria-logs",
    namespace: "logging",
    podSecurity: "privileged", // the Vector DaemonSet reads /var/log on every node
    dependsOn: ["longhorn"],
    helm: {
      chart: chartVersion(helmCharts.victoriaLogs, settings.version),
      releaseName: "vls",
      values: {
        server: {
          retentionPeriod: settings.retention,
          persistentVolume: { enabled: true, storageClassName, size: `${settings.storageGiB}Gi` },
        },
        vector: { enabled: true },
      },
    },
    summary: `VictoriaLogs (${settings.retention}, ${settings.storageGiB} GiB on Longhorn) with Vector collecting every node's logs`,
  };
}
