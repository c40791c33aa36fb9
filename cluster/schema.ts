// The shape of a homelab spec (cluster/homelab.yaml): field names, types, formats and
// defaults. Cross-field rules (uniqueness, subnets, capacity…) live in rules.ts and
// the rules-*.ts files it calls.
// Every object is strict: an unknown key is an error, so a typo is never ignored. The larger
// sections have files of their own: schema-proxmox.ts, schema-platform.ts, schema-apps.ts.
import { z } from "zod";
import { App } from "./schema-apps";
import { branchName, cidr, domain, hostname, ipv4, normalizedPath, prose, proxmoxId, timeZone, vpnRegion } from "./schema-formats";
import { Platform } from "./schema-platform";
import { Proxmox, Template } from "./schema-proxmox";

export { DatastoreContents } from "./schema-proxmox";
export type { PlatformComponentName } from "./schema-platform";

const Roles = ["control-plane", "worker", "vpn-worker", "gpu-worker"] as const;
export type Role = (typeof Roles)[number];

const Network = z.strictObject({
  cidr,
  gateway: ipv4,
  dns: z.array(ipv4).min(1).max(3),
  bridge: z
    .string()
    .regex(/^vmbr\d+$/, "must be a Proxmox Linux bridge such as vmbr0")
    .default("vmbr0"),
  vlanId: z.number().int().min(1).max(4094).optional(),
  /** Range Cilium LB IPAM hands out to LoadBalancer Services. */
  loadBalancerPool: z.strictObject({ start: ipv4, stop: ipv4 }),
  /** First address of the pool, taken by the shared Gateway. */
  ingressIp: ipv4,
  /** Floating address of the Kubernetes API (kube-vip), not any node's own address. */
  apiVip: ipv4,
  /**
   * The public DNS zone (in Cloudflare) that `domain` lives in: external-dns keeps a zone only
   * when its filter matches the zone's own name, and cert-manager solves DNS-01 in it.
   * @default domain (the domain is a zone of its own)
   */
  dnsZone: domain.optional(),
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
  vpnRegion: vpnRegion.optional(),
});

const Ssh = z.strictObject({
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name such as ansible-user"),
  /** Public keys only (one per line in authorized_keys). */
  authorizedKeys: z.array(z.string()).min(1),
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
  hostPath: z.string().regex(normalizedPath, "must be an absolute host path such as /bulk-storage (no '.' or '..' parts)"),
  /** Mount point inside worker VMs, e.g. /data. */
  guestPath: z.string().regex(normalizedPath, "must be an absolute path such as /data (no '.' or '..' parts)"),
});

const GitOps = z.strictObject({
  repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, "must be an https://, ssh:// or git@ repository URL"),
  renderedBranch: branchName.default("rendered"),
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
  username: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,100}$/, "must be a user name such as git")
    .default("git"),
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
const CheckRules = [
  "secret",
  "machine-path",
  "timestamp",
  "image-pinned",
  "resources",
  "probes",
  "host-access",
  "service-account-token",
  "namespace-pod-security",
  "schema",
  "reference",
  // The convergence check's rules (scripts/lib/check/convergence/).
  "bootstrap",
  "admission",
  "sync-order",
  "scheduling",
  "facts",
  "vpn-firewall",
  "root-health",
  "sync-retry",
  "wave-gate",
  "l2-local",
  "certificate-gate",
  // A vzdump job writing inside a directory shared into VMs (scripts/lib/check/backup-findings.ts).
  "backup-exposure",
  // App volumes without a scheduled backup or a restore path (scripts/lib/check/convergence/rules/app-backups.ts).
  "backup",
] as const;

const Check = z.strictObject({
  exemptions: z
    .array(
      z.strictObject({
        rule: z.enum(CheckRules),
        /** The object it applies to, as check prints it: Kind/namespace/name (or Kind/name), or a Terraform address. */
        object: z
          .string()
          .regex(
            /^([A-Za-z]+\/[a-z0-9.-]+(\/[a-z0-9.-]+)?|[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)$/,
            "must be Kind/namespace/name or a Terraform address as npm run check prints it, e.g. Deployment/media/plex or proxmox_backup_job.backups_job",
          ),
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
  timeZone: timeZone.default("UTC"),
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
  terraform: z.strictObject({ backend: Backend }).default({ backend: { type: "local", path: ".terraform-state/homelab.tfstate" } }),
});

/** A validated spec, defaults filled in. */
export type Cluster = z.output<typeof ClusterSpec>;
export type Vm = Cluster["vms"][number];
export type ProxmoxNode = Cluster["proxmox"]["nodes"][number];
export type Datastore = ProxmoxNode["datastores"][number];
export type Gpu = ProxmoxNode["gpus"][number];
export type TemplateSpec = Cluster["template"];
export type AppSpec = Cluster["apps"][number];
