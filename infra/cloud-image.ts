// The cloud image (one dated build, verified by its checksum) and the template VM built from it,
// one per Proxmox node that runs VMs, because clones from local ZFS storage cannot cross nodes.
// Lab VMs are full clones of their node's template (template.source: cloud-image).
//
// Why a template rather than importing the image into every VM: a new image only changes the
// template (import_from is read at creation only, bpg v0.111.1 proxmoxtf/resource/vm/disk/
// schema.go), and the clones ignore `clone` after creation, so a new image never recreates a
// running node.
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DownloadFile } from "../imports/providers/proxmox/download-file";
import { VirtualEnvironmentVm, virtualEnvironmentVmNetworkDeviceToTerraform } from "../imports/providers/proxmox/virtual-environment-vm";
import type { TemplateSpec } from "../cluster/schema";
import { withEveryKey } from "./attribute-blocks";
import { terraformLiteral } from "./terraform-names";
import { uefiFirmware, vmHardwareDefaults } from "./vm-hardware";

export interface CloudImageTemplateProps {
  readonly template: Extract<TemplateSpec, { source: "cloud-image" }>;
  readonly nodeName: string;
  readonly vmId: number;
  readonly bridge: string;
  /** The definitions of the image's and the disk's datastores, when Terraform manages them. @default none */
  readonly storages?: readonly ITerraformDependable[];
}

export class CloudImageTemplate extends Construct {
  readonly template: VirtualEnvironmentVm;
  readonly vmId: number;
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: CloudImageTemplateProps) {
    super(scope, id);
    const { image } = props.template;
    const { nodeName } = props;
    this.vmId = props.vmId;
    const download = new DownloadFile(this, "image", {
      nodeName,
      contentType: "import",
      datastoreId: image.datastore,
      url: terraformLiteral(image.url),
      fileName: image.fileName,
      checksum: image.checksum.value,
      checksumAlgorithm: image.checksum.algorithm,
      ...(props.storages?.length ? { dependsOn: [...props.storages] } : {}),
    });
    this.template = new VirtualEnvironmentVm(this, "vm", {
      ...vmHardwareDefaults,
      nodeName,
      vmId: props.vmId,
      name: `ubuntu-template-${nodeName}`,
      description: `Cloud-image template (${image.fileName}). Managed by Terraform; lab VMs are full clones.`,
      tags: ["template", "terraform"],
      template: true,
      started: false,
      onBoot: false,
      cpu: { cores: 2, type: "host" },
      memory: { dedicated: 2048, floating: 0 },
      efiDisk: uefiFirmware(props.template.datastore),
      disk: [
        {
          interface: "scsi0",
          datastoreId: props.template.datastore,
          importFromAttribute: download.id,
          size: 8,
          discard: "on",
          iothread: true,
          ssd: true,
        },
      ],
    });
    this.dependable = this.template;
    this.template.addOverride("network_device", withEveryKey(virtualEnvironmentVmNetworkDeviceToTerraform, [{ bridge: props.bridge, model: "virtio" }]));
  }
}
