// The Proxmox side of the spec: the host(s), their GPUs and datastores, and the template VMs
// are cloned from.
import { z } from "zod";
import { hostname, ipv4, normalizedPath, pciAddress, pciIdPair, positiveInt, prose, proxmoxId, templateVmId } from "./schema-formats";

/** pve-storage src/PVE/Storage/ZFSPoolPlugin.pm verify_zfs_blocksize (commit 0c56bad8): a power of 2, 512 B to 16 MiB. */
function isZfsBlocksize(value: string): boolean {
  const match = /^([1-9][0-9]*)([kKmM]?)$/.exec(value);
  if (!match) return false;
  const bytes = Number(match[1]) * ({ k: 1024, m: 1024 * 1024 }[match[2].toLowerCase()] ?? 1);
  return bytes >= 512 && bytes <= 16 * 1024 * 1024 && (bytes & (bytes - 1)) === 0;
}

export const DatastoreContents = ["images", "rootdir", "iso", "import", "snippets", "backup", "vztmpl"] as const;

const Gpu = z.strictObject({
  /** Name of the cluster-wide PCI hardware mapping; VMs refer to the GPU by it. */
  name: proxmoxId,
  /** Function 0 of the card, with domain: 0000:47:00.0 (lspci -D). */
  pci: pciAddress,
  vendor: z.enum(["nvidia", "amd", "intel"]),
  /** Goes into the PCI mapping's description, which Proxmox stores as sent: ASCII only. */
  model: prose(64).regex(/^[\x20-\x7e]*$/, "must be ASCII text (it becomes a Proxmox mapping's description), such as GeForce RTX 3060"),
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
  pool: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/, "must be a ZFS pool or dataset name such as vm-storage-large")
    .optional(),
  /** Host path for directory storages. */
  path: z.string().regex(normalizedPath, "must be an absolute host path such as /bulk-storage (no '.' or '..' parts)").optional(),
  /** What Proxmox may keep here. Empty: a host directory only (shared into VMs), not a Proxmox storage. */
  content: z.array(z.enum(DatastoreContents)).default([]),
  /**
   * Already defined on the host: Terraform adopts it (an import block) instead of creating it.
   * Then content, and for ZFS sparse and blocksize, must be what /etc/pve/storage.cfg says of it
   * (`grep -A6 '^<type>: <id>$' /etc/pve/storage.cfg`): the plan would otherwise change them.
   */
  existing: z.boolean().default(false),
  /**
   * zfspool only: new VM disks are thin (storage.cfg `sparse 1`). Leave it out when storage.cfg
   * has no `sparse` line; write `false` only when it says `sparse 0` (an adopted pool would
   * otherwise show a change on every plan). Terraform cannot unset it on an adopted storage.
   */
  sparse: z.boolean().optional(),
  /** zfspool only: volblocksize of new VM disks, as storage.cfg's `blocksize` (4k, 8k, 16k …). Terraform cannot unset it either. */
  blocksize: z
    .string()
    .regex(/^[1-9][0-9]*[kKmM]?$/, "must be a ZFS block size such as 16k (a power of 2 from 512 to 16M)")
    .refine(isZfsBlocksize, "must be a power of 2 from 512 bytes to 16M, such as 8k or 16k")
    .optional(),
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

export const Proxmox = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, message: "must be an https URL such as https://10.10.10.10:8006/" }),
  /** Skip TLS verification (Proxmox ships a self-signed certificate). */
  insecure: z.boolean().default(false),
  /** SSH user the provider uses to upload snippets (user-data files). */
  sshUsername: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/)
    .default("root"),
  /** The resource pool every lab VM joins. @default the lab's name */
  pool: proxmoxId.optional(),
  nodes: z.array(ProxmoxNode).min(1),
  /** The pve-manager version the nodes run (`pveversion`), at least; the plan checks the host against it. */
  version: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "must be a Proxmox VE version such as 8.4.1 (pveversion)"),
  /** The automation user of the reference lab (Datacenter → Permissions), managed as code. */
  automationUser: z
    .strictObject({
      userId: z.string().regex(/^[a-z][a-z0-9._-]*@(pve|pam)$/, "must be user@realm such as ansible-user@pve"),
      tokenName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9._-]*$/),
      role: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, "must be a Proxmox role name such as Administrator")
        .default("Administrator"),
    })
    .optional(),
});

/** A cloud image URL of one dated build; "release", "current" and "latest" links move. */
const datedImageUrl = z
  .url({ protocol: /^https$/, message: "must be an https URL of a cloud image" })
  .refine(
    (url) => !/\/(release|current|latest)\//.test(url),
    "must be the URL of one dated build such as https://cloud-images.ubuntu.com/releases/noble/release-YYYYMMDD/ubuntu-24.04-server-cloudimg-amd64.img, not a moving release/, current/ or latest/ link",
  );

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

/**
 * The VM every lab VM is a full clone of, one per Proxmox node that runs VMs: vmId on the first
 * such node, the next ids on the others. 'existing': made by hand (the reference lab's VM 9000); the plan
 * fails unless it exists and is a template. 'cloud-image': Terraform builds it from the image.
 */
export const Template = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("existing"), vmId: templateVmId }),
  z.strictObject({
    source: z.literal("cloud-image"),
    vmId: templateVmId,
    /** Datastore (content 'images') for the template's disk. */
    datastore: proxmoxId,
    image: CloudImage,
  }),
]);
