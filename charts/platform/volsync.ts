// VolSync: the controller that backs up every app volume with restic (ReplicationSource) and
// restores it before the app starts on a fresh cluster (a ReplicationDestination the volume's
// PersistentVolumeClaim names as its dataSourceRef, VolSync's volume populator). The objects per
// volume are the apps' (charts/apps/volume-backup.ts); the repositories are served by the
// backup-repository component. Its controller watches VolumeSnapshots, so the snapshot CRDs come
// first.
import { chartVersion, type PlatformComponent } from "./component";
import type { VersionProps } from "./cluster-ops";
import { noFacts, type UpstreamFacts, type Values } from "./upstream-facts";
import { helmCharts } from "./versions";

export interface VolsyncProps extends VersionProps {
  /** Cron (UTC) and restic's keep counts, for the summary. */
  readonly schedule: string;
  readonly retain: Readonly<Record<string, number>>;
  /** Where the repositories are, for the summary: e.g. "bulk-storage:/bulk-storage/volsync". @default none (no app to back up) */
  readonly repository?: string;
}

export function volsync(props: VolsyncProps): PlatformComponent {
  const keep = Object.entries(props.retain)
    .map(([period, n]) => `${n} ${period}`)
    .join(", ");
  return {
    name: "volsync",
    namespace: "volsync-system",
    // The chart's pod runs as 65534, non-root, RuntimeDefault seccomp, no capabilities
    // (helm/volsync/templates/deployment-controller.yaml#L33-L47, values.yaml#L68-L73).
    podSecurity: "restricted",
    dependsOn: ["snapshot-controller"],
    helm: {
      chart: chartVersion(helmCharts.volsync, props.version),
      releaseName: "volsync",
      // The chart renders its CRDs from templates/ (values.yaml#L37); its defaults otherwise.
      values: { manageCRDs: true },
    },
    facts: volsyncFacts,
    // The ReplicationSource CRD's last-applied annotation would take 228 KB of the 256 KB limit.
    serverSideApply: true,
    summary: props.repository
      ? `backs up every app volume (restic, ${props.schedule} UTC, keep ${keep}) to ${props.repository}; restores it before the app starts on a fresh cluster`
      : "backup controller (no app volume to back up)",
  };
}

// Chart facts of volsync 0.16.0: backube/volsync@v0.16.0:helm/volsync/ (Chart.yaml#L2, #L79).
export const volsyncFacts: UpstreamFacts = {
  upstream: "volsync",
  confirmedAt: "0.16.0",
  of: (values: Values, { namespace }) => {
    const name = "volsync"; // templates/_helpers.tpl#L13-L24: the release name, as it contains the chart's
    const rbac = (kind: string, suffix: string) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind, name: `${name}-${suffix}` });
    return {
      ...noFacts,
      // templates/clusterrole-manager.yaml, clusterrolebinding-manager.yaml; the metrics ones unless metrics.disableAuth.
      objects: [
        rbac("ClusterRole", "manager"),
        rbac("ClusterRoleBinding", "manager"),
        ...(values.metrics?.disableAuth
          ? []
          : [rbac("ClusterRole", "metrics-auth-role"), rbac("ClusterRole", "metrics-reader"), rbac("ClusterRoleBinding", "metrics-auth-rolebinding")]),
      ],
      // templates/volsync.backube_replication{sources,destinations}.yaml, behind manageCRDs (values.yaml#L37).
      crds:
        values.manageCRDs === false
          ? []
          : ["ReplicationSource", "ReplicationDestination"].map((kind) => ({ group: "volsync.backube", kind, versions: ["v1alpha1"] })),
      // templates/deployment-controller.yaml: one replica (values.yaml#L2), no selector or tolerations
      // unless set (#L94-L106); requests 100m / 64Mi (values.yaml#L75-L81).
      workloads: [
        {
          kind: "Deployment",
          name,
          namespace,
          replicas: values.replicaCount ?? 1,
          nodeSelector: values.nodeSelector ?? {},
          tolerations: values.tolerations ?? [],
          requests: { cpu: "100m", memory: "64Mi", ...(values.resources?.requests ?? {}) },
        },
      ],
      // Both controllers watch VolumeSnapshots (internal/controller/replicationdestination_controller.go#L166,
      // replicationsource_controller.go#L172), whatever the copy method: without the CRD its cache never syncs.
      startRequires: [
        {
          controller: "VolSync's manager",
          crds: [{ group: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", versions: ["v1"] }],
          effect: "its manager exits and restarts with back-off until the CRD exists, and no backup or restore runs meanwhile",
        },
      ],
    };
  },
};
