// What makes bpg/proxmox replace a VM (destroy, then create), from the provider's source at
// v0.111.1 (github.com/bpg/terraform-provider-proxmox, tag v0.111.1, commit b22fe919fc34), and how
// this stack keeps a spec edit from doing it. test/force-new.test.ts edits the spec in every way
// that reaches a VM and checks each fact below: a changed attribute must be in ignore_changes.
//
// Not replacements: moving a VM's disks to another datastore (disk[*].datastore_id: move_disk,
// proxmoxtf/resource/vm/disk/disk.go:105-124; the EFI disk likewise, vm.go:6533-6540; the
// cloud-init drive is recreated on the new datastore, vm.go:6625-6631) and changing sizes.

export interface ForceNewFact {
  /** The attribute in the VM's Terraform JSON, blocks as objects: "clone.vm_id". */
  readonly attribute: string;
  /** File and line in the provider at v0.111.1. */
  readonly source: string;
  /**
   * How a spec edit stays clear of it:
   * - ignored: in lifecycle.ignore_changes (vmIgnoreChanges);
   * - unset: the stack never sets it (or sets a constant);
   * - migrate: ForceNew only when migrate is false, and every lab VM sets migrate = true;
   * - identity: the VM's Proxmox id; a new vmId in the spec means a new VM.
   */
  readonly handling: "ignored" | "unset" | "migrate" | "identity";
}

const vm = "proxmoxtf/resource/vm/vm.go";
export const vmForceNewFacts: readonly ForceNewFact[] = [
  { attribute: "amd_sev", source: `${vm}:458`, handling: "unset" },
  { attribute: "clone.retries", source: `${vm}:605`, handling: "ignored" },
  { attribute: "clone.datastore_id", source: `${vm}:612`, handling: "ignored" },
  { attribute: "clone.node_name", source: `${vm}:619`, handling: "ignored" },
  { attribute: "clone.vm_id", source: `${vm}:626`, handling: "ignored" },
  { attribute: "clone.full", source: `${vm}:633`, handling: "ignored" },
  { attribute: "initialization.user_data_file_id", source: `${vm}:999`, handling: "ignored" },
  { attribute: "initialization.vendor_data_file_id", source: `${vm}:1007`, handling: "unset" },
  { attribute: "initialization.network_data_file_id", source: `${vm}:1015`, handling: "unset" },
  { attribute: "initialization.meta_data_file_id", source: `${vm}:1023`, handling: "unset" },
  { attribute: "initialization.type", source: `${vm}:1031`, handling: "unset" },
  { attribute: "vm_id", source: `${vm}:1767-1779 (ForceNewIf on change)`, handling: "identity" },
  { attribute: "node_name", source: `${vm}:1781-1789 (ForceNewIf unless migrate)`, handling: "migrate" },
  { attribute: "tpm_state.version", source: `${vm}:1814 (forceNewOnTPMVersionChange)`, handling: "unset" },
  { attribute: "efi_disk.type", source: `${vm}:1875 (forceNewOnEFIDiskTypeChange)`, handling: "unset" },
  { attribute: "disk.file_id", source: "proxmoxtf/resource/vm/disk/schema.go:140", handling: "unset" },
];

/** The ForceNew facts handled by ignoring them. */
export const vmForceNewIgnores: readonly string[] = ["clone", "initialization[0].user_data_file_id"];

/**
 * Blocks whose change would reboot every running node at once (vm.go:6266-6290 and 6538-6548 set
 * rebootRequired; reboot_after_update defaults to true): efi_disk, which clones leave to their
 * template (VMs created before that still hold one in state), and the agent's wait_for_ip, which
 * matters only while a VM is created.
 */
export const vmRebootIgnores: readonly string[] = ["efi_disk", "agent[0].wait_for_ip"];

/** lifecycle.ignore_changes of every lab VM. */
export const vmIgnoreChanges: readonly string[] = [...vmForceNewIgnores, ...vmRebootIgnores];
