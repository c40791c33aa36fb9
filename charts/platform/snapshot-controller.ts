// CSI volume snapshots, which k3s does not ship: the snapshot.storage.k8s.io CRDs and the
// snapshot controller of kubernetes-csi/external-snapshotter, and Longhorn's VolumeSnapshotClass.
// VolSync copies every app volume through a snapshot (charts/apps/volume-backup.ts), and its
// controller watches VolumeSnapshots whatever the copy method, so it needs them before it starts.
import { ApiObject } from "cdk8s";
import { longhornSnapshotClass } from "../../cluster/app-backups";
import type { VersionProps } from "./cluster-ops";
import type { PlatformComponent } from "./component";
import { noFacts, roleAndBinding, type CrdFact, type UpstreamFacts } from "./upstream-facts";
import { gitSources, images } from "./versions";

export interface SnapshotControllerProps extends VersionProps {
  /** Render Longhorn's VolumeSnapshotClass (Longhorn is the lab's storage). */
  readonly longhorn: boolean;
}

const crdPath = "client/config/crd";

export function snapshotController(props: SnapshotControllerProps): PlatformComponent {
  const version = props.version ?? gitSources.externalSnapshotter.version;
  return {
    name: "snapshot-controller",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    // The controller's Kustomization, with the image of the pinned release, and the CRDs' one.
    git: { ...gitSources.externalSnapshotter, version, images: [images.snapshotController] },
    extraGitPaths: [{ path: crdPath }],
    facts: snapshotControllerFacts,
    summary: `CSI snapshot CRDs and controller ${version}${props.longhorn ? `; VolumeSnapshotClass ${longhornSnapshotClass} (Longhorn snapshots, type snap)` : ""}`,
    ...(props.longhorn ? { manifests: (chart) => longhornVolumeSnapshotClass(chart) } : {}),
  };
}

/**
 * Longhorn's class for CSI snapshots that stay in the cluster: parameters.type "snap" makes a
 * Longhorn snapshot. An empty type means a Longhorn backup, which needs a backup target this lab
 * does not have (longhorn/longhorn-manager@v1.7.2: csi/controller_server.go#L635-L646; docs
 * content/docs/archives/1.7.2/snapshots-and-backups/csi-snapshot-support/csi-volume-snapshot-associated-with-longhorn-snapshot.md#L17-L28).
 * The default class, so snapshots that name none are Longhorn snapshots too.
 */
function longhornVolumeSnapshotClass(chart: import("cdk8s").Chart): void {
  new ApiObject(chart, "volume-snapshot-class", {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: { name: longhornSnapshotClass, annotations: { "snapshot.storage.kubernetes.io/is-default-class": "true" } },
    driver: "driver.longhorn.io",
    deletionPolicy: "Delete",
    parameters: { type: "snap" },
  });
}

// Facts of kubernetes-csi/external-snapshotter@v7.0.2.
const group = "snapshot.storage.k8s.io";
/** client/config/crd/kustomization.yaml#L4-L7: three CRDs, each serving v1 (v1beta1 is listed, not served). */
const snapshotCrds: readonly CrdFact[] = ["VolumeSnapshotClass", "VolumeSnapshotContent", "VolumeSnapshot"].map((kind) => ({ group, kind, versions: ["v1"] }));

export const snapshotControllerFacts: UpstreamFacts = {
  upstream: "kubernetes-csi/external-snapshotter",
  confirmedAt: "v7.0.2",
  of: (_values, { gitSources: sources }) => {
    const controller = sources.some((s) => s.path === gitSources.externalSnapshotter.path);
    return {
      ...noFacts,
      crds: sources.some((s) => s.path === crdPath) ? snapshotCrds : [],
      // deploy/kubernetes/snapshot-controller/rbac-snapshot-controller.yaml: the ClusterRole and
      // its binding, the ServiceAccount and the leader-election Role, all in kube-system.
      objects: controller
        ? [
            { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "snapshot-controller-runner" },
            { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: "snapshot-controller-role" },
            ...roleAndBinding("snapshot-controller-leaderelection", "kube-system"),
          ]
        : [],
      // setup-snapshot-controller.yaml#L9-L44: two replicas in kube-system, no selector, no tolerations.
      workloads: controller ? [{ kind: "Deployment", name: "snapshot-controller", namespace: "kube-system", replicas: 2, tolerations: [] }] : [],
    };
  },
};
