// The platform section of the spec: one entry per component, each on unless `enabled: false`.
import { z } from "zod";
import { cronSchedule, proxmoxId, retention, timeOfDay, timeZone, version } from "./schema-formats";

const Component = z.strictObject({
  enabled: z.boolean().default(true),
  /** Overrides the pinned chart version in charts/platform/versions.ts. */
  version: version.optional(),
});
/** A component with its own settings besides enabled/version. */
const componentWith = <T extends z.ZodRawShape>(shape: T) => Component.extend(shape);

/**
 * The platform components of the reference lab, the one list of them: each is on unless
 * `enabled: false`. charts/platform/index.ts maps every key to what it deploys.
 */
export const Platform = z.strictObject({
  gatewayApi: Component.default({ enabled: true }),
  cilium: Component.default({ enabled: true }),
  /** k3s's own CoreDNS (k3s ships and upgrades it; no version of ours). `enabled: false` turns it off in k3s. */
  coredns: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  /** The controller that decrypts the lab's SealedSecrets with the Terraform-held key (docs/secrets.md). */
  sealedSecrets: Component.default({ enabled: true }),
  certManager: componentWith({
    /** Let's Encrypt account e-mail (expiry notices). */
    acmeEmail: z.email({ message: "must be an e-mail address for Let's Encrypt notices" }),
    /** Which ClusterIssuer the wildcard certificate uses: start with staging, switch when it works. */
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-production"]).default("letsencrypt-production"),
  }),
  externalDns: componentWith({
    /** Create records proxied through Cloudflare (orange cloud). */
    proxied: z.boolean().default(false),
  }).prefault({}),
  longhorn: componentWith({
    /** Replicas per volume; at most the number of workers with a Longhorn disk. */
    replicaCount: z.number().int().min(1).max(5).default(3),
    /** Daily snapshots each volume keeps (Longhorn recurring job; backups need a backup target, see docs/storage.md). */
    snapshotRetain: z.number().int().min(1).max(100).default(7),
  }).prefault({}),
  argocd: Component.default({ enabled: true }),
  victoriaMetrics: componentWith({
    retention: retention("30d").default("30d"),
    storageGiB: z.number().int().min(1).default(50),
  }).prefault({}),
  victoriaLogs: componentWith({
    retention: retention("14d").default("14d"),
    storageGiB: z.number().int().min(1).default(20),
  }).prefault({}),
  metricsServer: Component.default({ enabled: true }),
  kured: componentWith({
    rebootDays: z
      .array(z.enum(["mo", "tu", "we", "th", "fr", "sa", "su"]))
      .min(1)
      .default(["sa", "su"]),
    startTime: timeOfDay.default("02:00"),
    endTime: timeOfDay.default("06:00"),
    /** The window's time zone. @default the lab's timeZone */
    timeZone: timeZone.optional(),
  }).prefault({}),
  nvidiaDevicePlugin: componentWith({
    /** NVIDIA time-slicing: this many pods share each GPU (no memory or fault isolation between them). Omit for whole GPUs. */
    timeSlicing: z.strictObject({ replicas: z.number().int().min(2).max(64) }).optional(),
  }).default({ enabled: true }),
  amdGpuPlugin: Component.default({ enabled: false }),
  intelGpuPlugin: Component.default({ enabled: false }),
  /** Upgrades running nodes to k3s.version (system-upgrade-controller), one at a time. */
  systemUpgrade: Component.default({ enabled: true }),
  /** CSI volume snapshots: the snapshot CRDs and controller, and Longhorn's VolumeSnapshotClass (VolSync copies volumes through them). */
  snapshotController: Component.default({ enabled: true }),
  /**
   * App data backups (VolSync, restic): every app volume backed up on a schedule to a repository
   * outside the VMs, and restored from it before the app starts on a fresh cluster (docs/storage.md).
   */
  volsync: componentWith({
    /** The sharedDirectories entry (its name) that holds the repositories, in <its hostPath>/volsync on the host. Required while apps have volumes. */
    sharedDirectory: proxmoxId.optional(),
    /** When every app volume is backed up: cron, in UTC (VolSync's controller runs in UTC). */
    schedule: cronSchedule.default("0 4 * * *"),
    /** Backups each volume keeps (restic forget --keep-*); at least one must be above 0. */
    keep: z
      .strictObject({
        hourly: z.number().int().min(0).max(1000).default(0),
        daily: z.number().int().min(0).max(1000).default(7),
        weekly: z.number().int().min(0).max(1000).default(4),
        monthly: z.number().int().min(0).max(1000).default(0),
        yearly: z.number().int().min(0).max(1000).default(0),
      })
      .refine(
        (k) => Object.values(k).some((n) => n > 0),
        "must be above 0 for at least one period (daily, weekly…): with every count at 0, restic would keep only the last backup",
      )
      .prefault({}),
  }).prefault({}),
});

/** A platform component's key in the spec (platform.<key>). */
export type PlatformComponentName = keyof typeof Platform.shape;
