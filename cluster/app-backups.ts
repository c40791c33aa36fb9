// App data backups, as the spec sets them up (platform.volsync): where the restic repositories
// live and the names that tie the repository server (charts/platform/backup-repository.ts) to each
// app's backup and restore (charts/apps/volume-backup.ts). The repositories are a directory of a
// shared directory on the Proxmox host, outside every VM, which the workers mount (virtiofs); a
// marker file there, made once on the host, tells the repository server that what it sees is the
// real dataset and not an empty mount point (docs/storage.md).
import type { Cluster } from "./schema";

/** The repository server and what identifies its clients. */
export const backupRepository = {
  /** Its component, namespace and Application. */
  namespace: "backup-repository",
  /** Its Deployment and Service. */
  name: "rest-server",
  port: 8000,
  /** The directory under the shared directory's paths that holds the repositories. */
  directory: "volsync",
  /** Made once on the host; the server refuses to start without it. */
  marker: ".homelab-backup-repository",
  /** The uid and gid the server runs as: they own the repositories on the host. */
  uid: 65532,
  /** The label of VolSync's mover pods (moverPodLabels): the only clients the server's NetworkPolicy admits. */
  moverLabel: { key: "homelab.dev/backup-mover", value: "true" },
} as const;

/** The VolumeSnapshotClass of Longhorn volumes, type snap (charts/platform/snapshot-controller.ts). */
export const longhornSnapshotClass = "longhorn-snapshot";

/** What a restore-on-create ReplicationDestination's manual trigger is set to. */
export const restoreOnceTrigger = "restore-once";

export interface AppBackups {
  /** The sharedDirectories entry that holds the repositories. */
  readonly sharedDirectory: string;
  /** The repositories' directory on the Proxmox host, e.g. /bulk-storage/volsync. */
  readonly hostDirectory: string;
  /** The same directory inside the workers, e.g. /data/volsync. */
  readonly guestDirectory: string;
  /** Cron, UTC. */
  readonly schedule: string;
  /** restic forget's --keep-* counts above 0, by VolSync's retain field names. */
  readonly retain: Readonly<Record<string, number>>;
  /** The namespaces of the apps whose volumes are backed up. */
  readonly namespaces: readonly string[];
}

/**
 * The app backups of a spec, or undefined when it has none: no app, VolSync off, no location or an
 * unknown one (the spec's rules report a missing or unknown location; rules-backups.ts).
 */
export function appBackupsOf(cluster: Cluster): AppBackups | undefined {
  // Asked once per app and component: read the spec once.
  if (!known.has(cluster)) known.set(cluster, readAppBackups(cluster));
  return known.get(cluster);
}

const known = new WeakMap<Cluster, AppBackups | undefined>();

function readAppBackups(cluster: Cluster): AppBackups | undefined {
  const { volsync, snapshotController, longhorn } = cluster.platform;
  if (!volsync.enabled || !snapshotController.enabled || !longhorn.enabled || !volsync.sharedDirectory) return undefined;
  const shared = cluster.sharedDirectories.find((d) => d.name === volsync.sharedDirectory);
  const apps = cluster.apps.filter((a) => a.enabled);
  if (!shared || !apps.length) return undefined;
  return {
    sharedDirectory: shared.name,
    hostDirectory: `${shared.hostPath}/${backupRepository.directory}`,
    guestDirectory: `${shared.guestPath}/${backupRepository.directory}`,
    schedule: volsync.schedule,
    retain: Object.fromEntries(Object.entries(volsync.keep).filter(([, n]) => n > 0)),
    namespaces: [...new Set(apps.map((a) => a.namespace))].sort(),
  };
}

/** The claim of an app's /config volume (charts/apps/homelab-app.ts), the one volume of an app that is backed up. */
export function appVolumeClaim(app: string): string {
  return `${app}-config`;
}

/** The restic repository of one volume: its own directory on the server (VolSync supports no shared repositories). */
export function repositoryUrl(namespace: string, claim: string): string {
  const { name, port } = backupRepository;
  return `rest:http://${name}.${backupRepository.namespace}.svc:${port}/${namespace}/${claim}`;
}

/** Who seals the restic password (`npm run seal -- volsync RESTIC_PASSWORD`: cluster/sealed/volsync.yaml), and its name. */
export const repositoryPasswordOwner = "volsync";
export const repositoryPassword = "RESTIC_PASSWORD";

/** The Secret VolSync reads a volume's repository and password from (in the volume's namespace). */
export function repositorySecretName(claim: string): string {
  return `${claim}-restic`;
}

/**
 * The command that makes the repositories' directory and its marker on the Proxmox host, once,
 * owned by the server's uid (kubelet never changes a hostPath's owner). The cluster never makes
 * them: a marker made from inside a VM could land on an unmounted mount point.
 */
export function repositorySetupCommand(backups: AppBackups): string {
  const { uid, marker } = backupRepository;
  return `install -d -o ${uid} -g ${uid} -m 0700 ${backups.hostDirectory} && install -o ${uid} -g ${uid} -m 0600 /dev/null ${backups.hostDirectory}/${marker}`;
}

/**
 * The shared Gateway's wildcard certificate, carried across a rebuild through the backup
 * repository (charts/platform/certificate-carry.ts): backed up daily by a CronJob, restored by a
 * Sync hook of the gateway's Application before its Certificate exists. Both run in the
 * repository server's namespace, beside the password they read.
 */
export const certificateCarry = {
  /** The CronJob and the ServiceAccount and Role of the backup. */
  backup: "certificate-backup",
  /** The hook Job and the ServiceAccount and Role of the restore. */
  restore: "certificate-restore",
  /** The Secret with the repository's URL and the sealed restic password (in the server's namespace). */
  secret: "certificate-carry-restic",
  /** The one file of each snapshot, the certificate's Secret as JSON. */
  file: "wildcard-tls.json",
  /** restic's --host of every snapshot, so forget and restore see one series whatever the pod's name. */
  host: "certificate-carry",
  /** Snapshots kept (one a day). */
  keepLast: 7,
  /** Daily, UTC, a minute of its own. */
  schedule: "41 4 * * *",
} as const;
