// The template lab VMs are full clones of, per Proxmox node: one the operator made
// (template.source: existing) or one Terraform builds from a cloud image.
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { TemplateSpec } from "../cluster/schema";
import { CloudImageTemplate } from "./cloud-image";
import { ExistingTemplate } from "./existing-template";

export interface VmTemplate {
  readonly vmId: number;
  /** What a clone must wait for: the template, or the check that it exists. */
  readonly dependable: ITerraformDependable;
}

export function labTemplate(
  scope: Construct,
  id: string,
  spec: TemplateSpec,
  props: { readonly nodeName: string; readonly vmId: number; readonly bridge: string; readonly storages?: readonly ITerraformDependable[] },
): VmTemplate {
  return spec.source === "existing"
    ? new ExistingTemplate(scope, id, { nodeName: props.nodeName, vmId: props.vmId })
    : new CloudImageTemplate(scope, id, { template: spec, ...props });
}
