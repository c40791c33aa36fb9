// The shape of a homelab spec (cluster/homelab.yaml): field names, types, formats and
// defaults. Cross-field rules (uniqueness, subnets, capacity…) live in rules.ts.
// Every object is strict: an unknown key is an error, so a typo is never ignored.
import { z } from "zod";

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const hostname = z
  .string()
  .regex(dnsLabel, "must be a DNS label: lowercase letters, digits and '-', 1-63 characters, no leading or trailing '-'");
const domain = z
  .string()
  .max(253)
  .regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a lowercase DNS domain such as lab.example.com",
  );
/** Proxmox storage / mapping / pool identifiers. */
const proxmoxId = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, "must start with a letter and contain only letters, digits, '-' and '_'");
const ipv4 = z.ipv4({ message: "must be an IPv4 address such as 10.10.10.50" });
const cidr = z.cidrv4({ message: "must be an IPv4 CIDR such as 10.10.10.0/24" });
/** Full PCI address with domain, as Proxmox writes it: 0000:47:00.0 */
const pciAddress = z
  .string()
  .regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/, "must be a full PCI address such as 0000:47:00.0 (lspci -D)");
/** A pinned version string: no 'latest', no ranges. */
const version = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/, "must be a pinned version such as 1.18.2 (no ranges, no 'latest')");
const positiveInt = z.number().int().positive();
/** Free text a person writes (a GPU model, a purpose): one line, no template syntax of any tool we feed. */
const prose = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}*$/u, "must be one line of text without control characters")
    .refine((text) => !/[$%]\{|\{\{/.test(text), "must be plain text without ${, %{ or {{ (template syntax of Terraform and Helm)");

export const Roles = ["control-plane", "worker", "vpn-worker", "gpu-worker"] as const;
export type Role = (typeof Roles)[number];

export const DatastoreContents = ["images", "rootdir", "iso", "import", "snippets", "backup", "vztmpl"] as const;

/** A PCI vendor:device pair as lspci -nn prints it. */
const pciIdPair = (what: string, example: string) => z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, `must be the ${what} vendor:device pair such as ${example}`);

const Gpu = z.strictObject({
  /** Name of the cluster-wide PCI hardware mapping; VMs refer to the GPU by it. */
  name: proxmoxId,
  /** Function 0 of the card, with domain: 0000:47:00.0 (lspci -D). */
  pci: pciAddress,
  vendor: z.enum(["nvidia", "amd", "intel"]),
  model: prose(64),
  /** Vendor:device of function 0 (`lspci -nn -s 47:00.0`). Proxmox refuses to start the VM if it differs. */
  deviceId: pciIdPair("PCI", "10de:2504 (lspci -nn)"),
  /** Subsystem vendor:device of function 0 (`lspci -nnv -s 47:00.0`, "Subsystem: … [1462:397d]"). Checked like deviceId. */
  subsystemId: pciIdPair("PCI subsystem", "1462:397d (lspci -nnv)"),
  /** IOMMU group of function 0 (`ls /sys/bus/pci/devices/0000:47:00.0/iommu_group -l`). Checked like deviceId. */
  iommuGroup: z.number().int().min(0),
  /** Pass every function of the card (its HDMI audio too), as Proxmox's "All Functions" does. */
  allFunctions: z.boolean().default(true),
});

const Datastore = z.strictObject({
  /** Proxmox storage id (as in /etc/pve/storage.cfg). */
  id: proxmoxId,
  /** dir and zfspool storages are defined by Terraform; lvmthin and nfs ones by hand (the spec lacks their volume group, server, export). */
  type: z.enum(["zfspool", "dir", "lvmthin", "nfs"]),
  /** The ZFS pool that backs it; for zfspool storages the pool (or dataset) Proxmox allocates in. @default id */
  pool: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/, "must be a ZFS pool or dataset name such as vm-storage-large").optional(),
  /** Host path for directory storages. */
  path: z.string().regex(/^\/[^\0\n]*$/, "must be an absolute host path such as /bulk-storage").optional(),
  /** What Proxmox may keep here. Empty: a host directory only (shared into VMs), not a Proxmox storage. */
  content: z.array(z.enum(DatastoreContents)).default([]),
  /** Already defined on the host: Terraform adopts it (an import block) instead of creating it. */
  existing: z.boolean().default(false),
  capacityGiB: positiveInt,
  /** What the operator uses it for, shown in generated docs. */
  purpose: prose(200).optional(),
});

const Overcommit = z.strictObject({
  /** vCPUs allowed per host thread. 1 = no overcommit. */
  cpu: z.number().min(1).max(8).default(1),
  /** Guest RAM allowed per GiB of host RAM (after reservedMemoryGiB). 1 = no overcommit. */
  memory: z.number().min(1).max(2).default(1),
  /** Allocated disk per GiB of datastore capacity (thin provisioning). */
  disk: z.number().min(1).max(4).default(1),
});

const ProxmoxNode = z.strictObject({
  name: hostname,
  host: ipv4,
  cpuThreads: positiveInt,
  memoryGiB: positiveInt,
  /** RAM kept for the host itself (ZFS ARC, PVE services); not available to guests. */
  reservedMemoryGiB: z.number().int().min(0).default(16),
  ipmi: ipv4.optional(),
  overcommit: Overcommit.default({ cpu: 1, memory: 1, disk: 1 }),
  gpus: z.array(Gpu).default([]),
  datastores: z.array(Datastore).min(1),
});

const Proxmox = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, message: "must be an https URL such as https://10.10.10.10:8006/" }),
  /** Skip TLS verification (Proxmox ships a self-signed certificate). */
  insecure: z.boolean().default(false),
  /** SSH user the provider uses to upload snippets (user-data files). */
  sshUsername: z.string().regex(/^[a-z_][a-z0-9_-]*$/).default("root"),
  /** Resource pool all lab VMs join. */
  pool: proxmoxId.default("homelab"),
  nodes: z.array(ProxmoxNode).min(1),
  /** The pve-manager version the nodes run (`pveversion`), at least; the plan checks the host against it. */
  version: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "must be a Proxmox VE version such as 8.4.1 (pveversion)"),
  /** The automation user of the reference lab (Datacenter → Permissions), managed as code. */
  automationUser: z
    .strictObject({
      userId: z.string().regex(/^[a-z][a-z0-9._-]*@(pve|pam)$/, "must be user@realm such as ansible-user@pve"),
      tokenName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9._-]*$/),
      role: z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, "must be a Proxmox role name such as Administrator").default("Administrator"),
    })
    .optional(),
});

/** A cloud image URL of one dated build; "release", "current" and "latest" links move. */
const datedImageUrl = z
  .url({ protocol: /^https$/, message: "must be an https URL of a cloud image" })
  .refine((url) => !/\/(release|current|latest)\//.test(url), "must be the URL of one dated build such as https://cloud-images.ubuntu.com/releases/noble/release-YYYYMMDD/ubuntu-24.04-server-cloudimg-amd64.img, not a moving release/, current/ or latest/ link");

const CloudImage = z.strictObject({
  url: datedImageUrl,
  /** Published next to the image (SHA256SUMS, SHA512SUMS); Proxmox verifies the download against it. */
  checksum: z.strictObject({
    algorithm: z.enum(["sha256", "sha512"]),
    value: z.string().regex(/^([0-9a-f]{64}|[0-9a-f]{128})$/, "must be the hex digest from the image's SHA256SUMS or SHA512SUMS"),
  }),
  /** Name on the datastore; the 'import' content type needs .qcow2, .raw or .vmdk. */
  fileName: z.string().regex(/^[A-Za-z0-9._-]+\.(qcow2|raw|vmdk)$/, "must be a file name ending in .qcow2, .raw or .vmdk (Ubuntu's .img files are qcow2)"),
  /** Datastore (on every node that runs VMs) with the 'import' content type. */
  datastore: proxmoxId,
});

const templateVmId = z.number().int().min(100).max(999_999_999);

/**
 * The VM every lab VM is a full clone of, one per Proxmox node that runs VMs: vmId on the first
 * such node, the next ids on the others. 'existing': made by hand (the reference lab's VM 9000); the plan
 * fails unless it exists and is a template. 'cloud-image': Terraform builds it from the image.
 */
const Template = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("existing"), vmId: templateVmId }),
  z.strictObject({
    source: z.literal("cloud-image"),
    vmId: templateVmId,
    /** Datastore (content 'images') for the template's disk. */
    datastore: proxmoxId,
    image: CloudImage,
  }),
]);

const Network = z.strictObject({
  cidr,
  gateway: ipv4,
  dns: z.array(ipv4).min(1).max(3),
  bridge: z.string().regex(/^vmbr\d+$/, "must be a Proxmox Linux bridge such as vmbr0").default("vmbr0"),
  vlanId: z.number().int().min(1).max(4094).optional(),
  /** Range Cilium LB IPAM hands out to LoadBalancer Services. */
  loadBalancerPool: z.strictObject({ start: ipv4, stop: ipv4 }),
  /** First address of the pool, taken by the shared Gateway. */
  ingressIp: ipv4,
  /** Floating address of the Kubernetes API (kube-vip), not any node's own address. */
  apiVip: ipv4,
});

const K3s = z.strictObject({
  /** A k3s release, e.g. v1.33.5+k3s1. */
  version: z.string().regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, "must be a k3s release such as v1.33.5+k3s1"),
  clusterCidr: cidr.default("10.42.0.0/16"),
  serviceCidr: cidr.default("10.43.0.0/16"),
});

const Vm = z.strictObject({
  name: hostname,
  role: z.enum(Roles),
  vmId: z.number().int().min(100).max(999_999_999),
  ip: ipv4,
  cores: z.number().int().min(1).max(512),
  memoryGiB: z.number().int().min(1).max(4096),
  diskGiB: z.number().int().min(8).max(65536),
  /** Extra disk for Longhorn replicas (mounted at /var/lib/longhorn). */
  dataDiskGiB: z.number().int().min(8).max(65536).optional(),
  datastore: proxmoxId,
  node: hostname,
  /** Name of a GPU on the VM's Proxmox node, passed through whole. */
  gpu: proxmoxId.optional(),
  /** Free-form label for VPN workers, e.g. the exit region. */
  vpnRegion: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
});

const Ssh = z.strictObject({
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name such as ansible-user"),
  /** Public keys only (one per line in authorized_keys). */
  authorizedKeys: z.array(z.string()).min(1),
});

const Component = z.strictObject({
  enabled: z.boolean().default(true),
  /** Overrides the pinned chart version in charts/platform/versions.ts. */
  version: version.optional(),
});
/** A component with its own settings besides enabled/version. */
const componentWith = <T extends z.ZodRawShape>(shape: T) => Component.extend(shape);
const timeOfDay = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, "must be a time such as 02:00");

/**
 * The platform components of the reference lab, the one list of them: each is on unless
 * `enabled: false`. charts/platform/index.ts maps every key to what it deploys.
 */
const Platform = z.strictObject({
  gatewayApi: Component.default({ enabled: true }),
  cilium: Component.default({ enabled: true }),
  /** k3s's own CoreDNS (k3s ships and upgrades it; no version of ours). `enabled: false` turns it off in k3s. */
  coredns: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  certManager: componentWith({
    /** Let's Encrypt account e-mail (expiry notices). */
    acmeEmail: z.email({ message: "must be an e-mail address for Let's Encrypt notices" }),
    /** Which ClusterIssuer the wildcard certificate uses: start with staging, switch when it works. */
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-production"]).default("letsencrypt-production"),
  }),
  externalDns: componentWith({
    /** Create records proxied through Cloudflare (orange cloud). */
    proxied: z.boolean().default(false),
  }).default({ enabled: true, proxied: false }),
  longhorn: componentWith({
    /** Replicas per volume; at most the number of workers with a Longhorn disk. */
    replicaCount: z.number().int().min(1).max(5).default(3),
    /** Daily snapshots each volume keeps (Longhorn recurring job; backups need a backup target, see docs/storage.md). */
    snapshotRetain: z.number().int().min(1).max(100).default(7),
  }).default({ enabled: true, replicaCount: 3, snapshotRetain: 7 }),
  argocd: Component.default({ enabled: true }),
  victoriaMetrics: componentWith({
    retention: z.string().regex(/^\d+[dwy]$/, "must be a duration such as 30d").default("30d"),
    storageGiB: z.number().int().min(1).default(50),
  }).default({ enabled: true, retention: "30d", storageGiB: 50 }),
  victoriaLogs: componentWith({
    retention: z.string().regex(/^\d+[dwy]$/, "must be a duration such as 14d").default("14d"),
    storageGiB: z.number().int().min(1).default(20),
  }).default({ enabled: true, retention: "14d", storageGiB: 20 }),
  metricsServer: Component.default({ enabled: true }),
  kured: componentWith({
    rebootDays: z.array(z.enum(["mo", "tu", "we", "th", "fr", "sa", "su"])).min(1).default(["sa", "su"]),
    startTime: timeOfDay.default("02:00"),
    endTime: timeOfDay.default("06:00"),
    timeZone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, "must be an IANA time zone such as Europe/Berlin").default("UTC"),
  }).default({ enabled: true, rebootDays: ["sa", "su"], startTime: "02:00", endTime: "06:00", timeZone: "UTC" }),
  nvidiaDevicePlugin: componentWith({
    /** NVIDIA time-slicing: this many pods share each GPU (no memory or fault isolation between them). Omit for whole GPUs. */
    timeSlicing: z.strictObject({ replicas: z.number().int().min(2).max(64) }).optional(),
  }).default({ enabled: true }),
  amdGpuPlugin: Component.default({ enabled: false }),
  intelGpuPlugin: Component.default({ enabled: false }),
  /** Upgrades running nodes to k3s.version (system-upgrade-controller), one at a time. */
  systemUpgrade: Component.default({ enabled: true }),
});

/** A platform component's key in the spec (platform.<key>). */
export type PlatformComponentName = keyof typeof Platform.shape;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as TZ");
const quantity = (example: string) => z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, `must be a Kubernetes quantity such as ${example}`);

const App = z.strictObject({
  name: hostname,
  namespace: hostname,
  /** registry/name:tag, pinned (never :latest); a digest may follow. */
  image: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:(?!latest$)[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$/,
      "must be registry/name:tag with a pinned tag (not :latest), e.g. lscr.io/linuxserver/sonarr:4.0.15",
    ),
  /** How the image wants to run; inferred from the registry when omitted (lscr.io/linuxserver → linuxserver). */
  profile: z.enum(["linuxserver", "generic"]).optional(),
  port: z.number().int().min(1).max(65535),
  /** Host name under the domain; defaults to <name>. */
  host: hostname.optional(),
  /** HTTP path for liveness/readiness probes; TCP probes when omitted. */
  probePath: z.string().regex(/^\/[A-Za-z0-9._~/?=&-]*$/, "must be an absolute URL path such as /ping").optional(),
  gpu: z.boolean().default(false),
  vpn: z.boolean().default(false),
  /** Run on the VPN worker of this region (vpnRegion of a vpn-worker); any VPN worker when omitted. */
  vpnRegion: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
  /** Size of the Longhorn volume mounted at /config. */
  configGiB: z.number().int().min(1).max(1024).default(5),
  /** Shared directories (their guestPath) mounted into the app at the same path. */
  mounts: z.array(z.string()).default([]),
  resources: z
    .strictObject({
      cpu: quantity("250m").default("100m"),
      memory: quantity("512Mi").default("256Mi"),
      cpuLimit: quantity("2").default("2"),
      memoryLimit: quantity("2Gi").default("1Gi"),
    })
    .prefault({}),
  /** A LoadBalancer Service on this pool address for direct (non-HTTP) clients, e.g. Plex on 32400. */
  loadBalancerIp: ipv4.optional(),
  /** Apps (same namespace) allowed to connect to this one besides the Gateway. */
  peers: z.array(hostname).default([]),
  /** Plain, non-secret environment variables. */
  env: z
    .record(
      envName,
      z.string().max(4096).regex(/^(?:\P{Cc}|[\t\n])*$/u, "must not contain control characters (tabs and newlines are fine)"),
    )
    .default({}),
  /**
   * Names of the secret environment variables the app needs (names only). Their values come from
   * the sensitive Terraform variable app_secrets and reach the app as a Secret (docs/secrets.md).
   */
  secretEnv: z.array(envName).default([]),
  enabled: z.boolean().default(true),
});

const Backups = z.strictObject({
  /** Proxmox calendar event, e.g. '*-*-* 02:30' (daily at 02:30). */
  schedule: z.string().regex(/^[A-Za-z0-9*,:./ -]+$/, "must be a Proxmox calendar event such as '*-*-* 02:30'"),
  datastore: proxmoxId,
  mode: z.enum(["snapshot", "suspend", "stop"]).default("snapshot"),
  compression: z.enum(["zstd", "lzo", "gzip", "0"]).default("zstd"),
  keep: z.strictObject({
    daily: z.number().int().min(0).default(7),
    weekly: z.number().int().min(0).default(4),
    monthly: z.number().int().min(0).default(6),
  }),
});

const SharedDirectory = z.strictObject({
  /** Directory-mapping id (cluster-wide). */
  name: proxmoxId,
  /** Path on every Proxmox node, e.g. /bulk-storage. */
  hostPath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute host path such as /bulk-storage"),
  /** Mount point inside worker VMs, e.g. /data. */
  guestPath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute path such as /data"),
});

const GitOps = z.strictObject({
  repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, "must be an https://, ssh:// or git@ repository URL"),
  renderedBranch: z.string().regex(/^[A-Za-z0-9._/-]+$/).default("rendered"),
  /**
   * Directory inside the rendered branch that holds the manifests. No part may start with a dot
   * ('.', '..', '.git' would put them beside, above or inside git's own files), and README.md is
   * the branch's own file.
   */
  path: z
    .string()
    .regex(
      /^(?!README\.md(\/|$))[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/,
      "must be a folder inside the rendered branch such as k8s or clusters/lab (each part starts with a letter, digit or _, so no '.', '..' or '.git'; not README.md)",
    )
    .default("k8s"),
  /** Argo CD needs a read token for it: an HTTPS token (Terraform variable gitops_repo_token), delivered at bootstrap. */
  private: z.boolean().default(false),
  /** The user the token belongs to (GitHub accepts any; GitLab, Gitea and Bitbucket want yours). */
  username: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, "must be a user name such as git").default("git"),
});

const Backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    /** State file, relative to the repository root; must stay outside dist/. */
    path: z.string().regex(/^[A-Za-z0-9._/-]+\.tfstate$/, "must be a relative path ending in .tfstate"),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().min(3),
    key: z.string().min(1),
    region: z.string().min(1).default("us-east-1"),
    /** S3-compatible endpoint such as MinIO; credentials come from AWS_* environment variables. */
    endpoint: z.url().optional(),
  }),
]);

/** Rules of `npm run check` that an exemption can name. */
export const CheckRules = [
  "secret", "machine-path", "timestamp", "image-pinned", "resources", "probes", "host-access", "service-account-token", "namespace-pod-security", "schema", "reference",
  // The convergence check's rules (scripts/lib/check/convergence/).
  "bootstrap", "admission", "sync-order", "scheduling", "facts",
] as const;

const Check = z.strictObject({
  exemptions: z
    .array(
      z.strictObject({
        rule: z.enum(CheckRules),
        /** The object it applies to, as check prints it: Kind/namespace/name (or Kind/name). */
        object: z.string().regex(/^[A-Za-z]+\/[a-z0-9.-]+(\/[a-z0-9.-]+)?$/, "must be Kind/namespace/name as npm run check prints it, e.g. Deployment/media/plex"),
        /** Why this is acceptable; shown in every check run. */
        reason: prose(300).refine((r) => r.length >= 10, "must explain why, in at least 10 characters"),
      }),
    )
    .default([]),
});

export const ClusterSpec = z.strictObject({
  name: hostname,
  domain,
  /** IANA time zone of the lab (apps' TZ). */
  timeZone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, "must be an IANA time zone such as Europe/Berlin").default("UTC"),
  proxmox: Proxmox,
  template: Template,
  network: Network,
  ssh: Ssh,
  k3s: K3s,
  vms: z.array(Vm).min(1),
  sharedDirectories: z.array(SharedDirectory).default([]),
  backups: Backups.optional(),
  platform: Platform.prefault({} as never),
  apps: z.array(App).default([]),
  gitops: GitOps,
  check: Check.prefault({}),
  terraform: z
    .strictObject({ backend: Backend })
    .default({ backend: { type: "local", path: ".terraform-state/homelab.tfstate" } }),
});

/** A validated spec, defaults filled in. */
export type Cluster = z.output<typeof ClusterSpec>;
export type Vm = Cluster["vms"][number];
export type ProxmoxNode = Cluster["proxmox"]["nodes"][number];
export type Datastore = ProxmoxNode["datastores"][number];
export type Gpu = ProxmoxNode["gpus"][number];
export type TemplateSpec = Cluster["template"];
export type AppSpec = Cluster["apps"][number];
