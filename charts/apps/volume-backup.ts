// The backup and the restore of one app volume (VolSync, restic mover): a ReplicationSource that
// backs the claim up on the spec's schedule, and a ReplicationDestination the claim names as its
// dataSourceRef, so a claim created on a fresh cluster is filled from the newest backup before
// any pod can mount it (VolSync's volume populator, backube/volsync@v0.16.0:
// internal/controller/volumepopulator_controller.go#L223-L275). Both are in the claim's
// Application and wave: Argo CD waits for the claim's health, which waits for the restore.
//
// At 0.16.0 (mover-restic/entry.sh): a repository that does not exist yet is initialized, even by a
// restore (#L91-L152, #L380-L383), and a restore with no snapshot succeeds with an empty volume
// (#L334-L353): the first boot starts empty. A repository that cannot be reached fails the mover and
// is retried without end (restic's backend retries outlast VolSync's 60 s probe, #L98-L128), so the
// claim stays Pending rather than starting empty; the one reachable-but-empty case, a missing share,
// is the repository server's to refuse (charts/platform/backup-repository.ts).
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { backupRepository, longhornSnapshotClass, repositorySecretName, restoreOnceTrigger } from "../../cluster/app-backups";

export interface VolumeBackupProps {
  /** The claim backed up and restored (in the chart's namespace). */
  readonly claim: string;
  /** Its size: the restore's volume must be as large, or Longhorn refuses to restore into the claim. */
  readonly capacity: string;
  readonly storageClassName: string;
  readonly accessModes: readonly string[];
  /** Cron, UTC. */
  readonly schedule: string;
  /** restic forget --keep-* counts, by VolSync's field names (daily, weekly…); never empty. */
  readonly retain: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a claim names to be filled by its ReplicationDestination. */
export function restoreDataSource(claim: string): { apiGroup: string; kind: string; name: string } {
  return { apiGroup: "volsync.backube", kind: "ReplicationDestination", name: claim };
}

export class VolumeBackup extends Construct {
  constructor(scope: Construct, id: string, props: VolumeBackupProps) {
    super(scope, id);
    if (!Object.values(props.retain).some((n) => n > 0))
      // Without retain VolSync forgets all but the last backup (internal/controller/mover/restic/mover.go#L676-L710).
      throw new Error(`internal: the backup of ${props.claim} keeps nothing`);
    const metadata = { name: props.claim, labels: { ...props.labels } };
    const { key, value } = backupRepository.moverLabel;
    // Shared by both movers: the repository, a point-in-time copy through a Longhorn snapshot
    // (the populator requires one on the destination, volumepopulator_controller.go#L353-L361), the
    // label the repository server admits, and modest resources.
    const mover = {
      repository: repositorySecretName(props.claim),
      copyMethod: "Snapshot",
      volumeSnapshotClassName: longhornSnapshotClass,
      storageClassName: props.storageClassName,
      accessModes: [...props.accessModes],
      cacheCapacity: "1Gi",
      cacheStorageClassName: props.storageClassName,
      cacheAccessModes: ["ReadWriteOnce"],
      moverPodLabels: { [key]: value },
      moverResources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "2Gi" } },
    };
    new ApiObject(this, "source", {
      apiVersion: "volsync.backube/v1alpha1",
      kind: "ReplicationSource",
      metadata,
      spec: {
        sourcePVC: props.claim,
        trigger: { schedule: props.schedule },
        restic: { ...mover, retain: { ...props.retain }, pruneIntervalDays: 7 },
      },
    });
    new ApiObject(this, "destination", {
      apiVersion: "volsync.backube/v1alpha1",
      kind: "ReplicationDestination",
      metadata,
      spec: {
        // Restores once, when created (internal/controller/statemachine/machine.go#L213-L214); to
        // restore again, set a new value (docs/storage.md).
        trigger: { manual: restoreOnceTrigger },
        restic: {
          ...mover,
          capacity: props.capacity,
          // The snapshot the claim is restored from lives in this volume: keep it (Longhorn cannot
          // restore a snapshot whose volume is gone, longhorn/longhorn#4083).
          cleanupTempPVC: false,
          cleanupCachePVC: true,
          // A later restore to an older point removes what that backup did not have.
          enableFileDeletion: true,
        },
      },
    });
  }
}
