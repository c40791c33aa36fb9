// A template VM made by hand (the reference lab's VM 9000, checked there with `qm config 9000`). Terraform
// does not manage it: the plan reads it and fails unless it exists and is a template. The data
// source fails with "VM Not Found" when there is no such VM (bpg/terraform-provider-proxmox
// v0.111.1 fwprovider/nodes/vm/datasource.go, Read); the postcondition covers a plain VM.
//
// The template contract (docs/terraform.md, "The template contract"). Clones copy every option of
// the template but its snapshots (qemu-server src/PVE/API2/Qemu.pm clone_vm at e6352be6), and set
// no efi_disk of their own (infra/k3s-node-vm.ts), so the template must have:
// - Ubuntu 24.04's cloud image as its boot disk on scsi0, with cloud-init (the clone's user-data
//   needs it); the first boot installs the guest agent and everything else;
// - q35 and OVMF with an EFI disk (`qm set 9000 --efidisk0 <storage>:1,efitype=4m`): clones keep
//   its type and keys. Secure Boot keys are fine: the NVIDIA modules are Canonical-signed;
// - no hookscript: clones inherit it, the provider then deletes it from the clone
//   (proxmoxtf/resource/vm/vm.go:2817-2824), and only root@pam may set or delete one (Qemu.pm
//   $check_vm_modify_config_perm, 995-1041: 'hookscript' is in no option group), so an API
//   token's apply fails.
// The plan can check only that it is a template: the proxmox_vm data source shows cdrom, cpu,
// description, name, rng, status, tags, template and vga (fwprovider/nodes/vm/datasource_schema.go),
// nothing of its firmware, disks or hookscript.
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DataProxmoxVm } from "../imports/providers/proxmox/data-proxmox-vm";

export interface ExistingTemplateProps {
  readonly nodeName: string;
  readonly vmId: number;
}

export class ExistingTemplate extends Construct {
  readonly vmId: number;
  /** What clones wait for: the check that the template is there. */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ExistingTemplateProps) {
    super(scope, id);
    this.vmId = props.vmId;
    this.dependable = new DataProxmoxVm(this, "vm", {
      nodeName: props.nodeName,
      id: props.vmId,
      lifecycle: {
        postcondition: [
          {
            condition: "${self.template == true}",
            errorMessage: `VM ${props.vmId} on node ${props.nodeName} is not a template, and lab VMs are full clones of it (template.source: existing). Convert it with \`qm template ${props.vmId}\` or set template.source: cloud-image.`,
          },
        ],
      },
    });
  }
}
