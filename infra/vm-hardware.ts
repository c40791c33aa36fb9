// Hardware every lab VM (and its template) shares. Chosen for k3s nodes on ZFS with a
// passed-through GPU:
// - q35 + OVMF (UEFI): PCIe passthrough needs q35; one firmware everywhere keeps clones uniform.
// - the template's EFI vars (uefiFirmware, 4m) without pre-enrolled keys: Secure Boot off. Clones
//   set no EFI disk and keep their template's (infra/k3s-node-vm.ts); the NVIDIA modules are
//   Canonical-signed, so they load either way.
// - virtio-scsi-single: one controller per disk, so iothread gives each disk its own thread.
// - the QEMU guest agent: clean shutdowns, fs-freeze for consistent backups, IPs in Proxmox.
import type { VirtualEnvironmentVmConfig, VirtualEnvironmentVmEfiDisk } from "../imports/providers/proxmox/virtual-environment-vm";

export const vmHardwareDefaults = {
  machine: "q35",
  bios: "ovmf",
  scsiHardware: "virtio-scsi-single",
  operatingSystem: { type: "l26" },
  agent: { enabled: true, trim: true, type: "virtio" },
  keyboardLayout: "en-us",
} satisfies Partial<VirtualEnvironmentVmConfig>;

export function uefiFirmware(datastoreId: string): VirtualEnvironmentVmEfiDisk {
  return { datastoreId, type: "4m", preEnrolledKeys: false };
}

/**
 * A stable, locally administered MAC address derived from the VM id (02:00:<id as 4 bytes>),
 * so DHCP reservations and switch tables survive a VM being recreated.
 */
export function stableMac(vmId: number): string {
  const hex = vmId.toString(16).padStart(8, "0");
  return ["02", "00", ...hex.match(/../g)!].join(":").toUpperCase();
}
