// A template VM made by hand (seed 000's VM 9000, checked there with `qm config 9000`). Terraform
// does not manage it: the plan reads it and fails unless it exists and is a template. The data
// source fails with "VM Not Found" when there is no such VM (bpg/terraform-provider-proxmox
// v0.111.1 fwprovider/nodes/vm/datasource.go, Read); the postcondition covers a plain VM.
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
