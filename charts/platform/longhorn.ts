// Longhorn: replicated block storage on the workers' data disks (/var/lib/longhorn, only on
// nodes labelled for it at bootstrap), the default StorageClass, with daily snapshots and
// weekly backups as recurring jobs of the "default" group (applied to every volume).
import { ApiObject } from "cdk8s";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

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
        defaultSettings: {
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
