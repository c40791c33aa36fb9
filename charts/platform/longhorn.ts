// Longhorn: replicated block storage on the workers' data disks (/var/lib/longhorn, only on
// nodes labelled for it at bootstrap), the default StorageClass, with daily snapshots as a
// recurring job of the "default" group (applied to every volume). Backups need a backup target
// the reference lab does not have (no NFS or S3 server); docs/storage.md says how to add one.
import { ApiObject } from "cdk8s";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { noFacts, type Toleration, type UpstreamFacts, type Values } from "./upstream-facts";
import { parseTaint, storageClassName, taintText, taints, toleration } from "../../cluster/contract";

/**
 * The worker taints Longhorn's node components must tolerate: a volume attaches only where the
 * manager, the CSI plugin and an instance manager run, and Plex and SABnzbd live on the GPU and
 * VPN workers. Set from the first install: changing taint-toleration later detaches every volume
 * (longhorn/website:content/docs/archives/1.7.2/references/settings.md#L869-L870).
 */
const workerTaints = [taints.gpu, taints.vpn];

export interface LonghornProps {
  /** Replicas of each volume, on as many workers with a Longhorn disk. */
  readonly replicaCount: number;
  /** Daily snapshots each volume keeps. */
  readonly snapshotRetain: number;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function longhorn(props: LonghornProps): PlatformComponent {
  const settings = props;
  return {
    name: "longhorn",
    namespace: "longhorn-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.longhorn, settings.version),
      releaseName: "longhorn",
      values: {
        persistence: { defaultClass: true, defaultClassReplicaCount: settings.replicaCount, reclaimPolicy: "Retain" },
        longhornManager: { tolerations: workerTaints.map((t) => toleration(t, "Equal")) },
        defaultSettings: {
          // System-managed pods (CSI plugin, instance managers) take only this setting.
          taintToleration: workerTaints.map(taintText).join(";"),
          createDefaultDiskLabeledNodes: true,
          defaultDataPath: "/var/lib/longhorn",
          defaultReplicaCount: settings.replicaCount,
          replicaSoftAntiAffinity: false,
          storageOverProvisioningPercentage: 100,
          storageMinimalAvailablePercentage: 15,
          nodeDownPodDeletionPolicy: "delete-both-statefulset-and-deployment-pod",
        },
        // kured drains nodes; let Longhorn's own drain logic keep volumes available.
        preUpgradeChecker: { jobEnabled: false },
      },
    },
    facts: longhornFacts,
    serverSideApply: true,
    summary: `default StorageClass 'longhorn', ${settings.replicaCount} replicas on worker data disks, daily snapshots (keep ${settings.snapshotRetain})`,
    manifests: (chart) => {
      // Longhorn publishes no CRD file we can generate types from here; RecurringJob is
      // written as a plain object and listed in the README as not schema-validated.
      new ApiObject(chart, "snapshot-daily", {
        apiVersion: "longhorn.io/v1beta2",
        kind: "RecurringJob",
        metadata: { name: "snapshot-daily" },
        spec: { task: "snapshot", cron: "0 3 * * *", retain: settings.snapshotRetain, concurrency: 2, groups: ["default"], name: "snapshot-daily" },
      });
    },
  };
}

/**
 * Longhorn's taint-toleration setting: "key=value:Effect; key:Effect", kubectl taint syntax;
 * "key:Effect" matches any value and ":" everything
 * (longhorn/website:content/docs/archives/1.7.2/references/settings.md#L859-L876).
 */
function parseTaintToleration(setting: string | null | undefined): Toleration[] {
  return (setting ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const { key, value, effect } = parseTaint(entry);
      return {
        ...(key ? { key } : {}),
        operator: value === undefined ? "Exists" : "Equal",
        ...(value !== undefined ? { value } : {}),
        ...(effect ? { effect: effect as Toleration["effect"] } : {}),
      };
    });
}

// Chart facts of longhorn 1.7.2: longhorn/longhorn@v1.7.2:chart/.
export const longhornFacts: UpstreamFacts = {
  upstream: "longhorn",
  confirmedAt: "1.7.2",
  of: (values: Values, { namespace }) => {
    // templates/daemonset-sa.yaml#L136-L143: `default global longhornManager`: the manager's own list
    // if it has one, else global.tolerations (values.yaml#L6, #L368: both empty).
    const pick = (own: Toleration[] | undefined) => (own?.length ? own : (values.global?.tolerations ?? []));
    // System-managed pods (CSI plugin, instance managers, engine images) get only the
    // taint-toleration setting (values.yaml#L241, templates/default-setting.yaml#L72-L80).
    const system = parseTaintToleration(values.defaultSettings?.taintToleration);
    const runtime = (name: string) => ({ kind: "DaemonSet" as const, name, namespace, tolerations: system, runtime: true });
    return {
      ...noFacts,
      // templates/priorityclass.yaml (values.yaml#L247).
      objects: [{ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "longhorn-critical" }],
      // templates/crds.yaml (RecurringJob from L2640; the others alike).
      crds: ["RecurringJob", "Volume", "Setting", "Node", "EngineImage"].map((kind) => ({ group: "longhorn.io", kind, versions: ["v1beta2"] })),
      // templates/storageclass.yaml#L1-L25 renders the StorageClass into a ConfigMap; longhorn-manager
      // creates it (name "longhorn", volumeBindingMode Immediate) and the CSIDriver at run time.
      runtimeObjects: [
        { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: storageClassName },
        { apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", name: "driver.longhorn.io" },
      ],
      workloads: [
        { kind: "DaemonSet", name: "longhorn-manager", namespace, tolerations: pick(values.longhornManager?.tolerations) },
        { kind: "Deployment", name: "longhorn-driver-deployer", namespace, tolerations: pick(values.longhornDriver?.tolerations) },
        { kind: "Deployment", name: "longhorn-ui", namespace, replicas: values.longhornUI?.replicas ?? 2, tolerations: pick(values.longhornUI?.tolerations) },
        runtime("longhorn-csi-plugin"),
        runtime("instance-manager"),
      ],
      nodePlugins: [{ storageClass: storageClassName, workloads: ["longhorn-manager", "longhorn-csi-plugin", "instance-manager"] }],
    };
  },
};
