// The Ubuntu cloud image and the template VM built from it (VM 9000 in seed 000), one
// per Proxmox node that runs VMs, because clones from local ZFS storage cannot cross
// nodes. Lab VMs are full clones of their node's template.
//
// Why a template rather than importing the image into every VM: a new image only
// replaces the template. The clones' replace-forcing `clone.vm_id` stays 9000, so
// upgrading the image never recreates a running node.
import { Construct } from "constructs";
import { DownloadFile } from "../imports/providers/proxmox/download-file";
import { VirtualEnvironmentVm } from "../imports/providers/proxmox/virtual-environment-vm";
import type { Cluster } from "../cluster/schema";
import { terraformLiteral } from "./terraform-names";
import { uefiFirmware, vmHardwareDefaults } from "./vm-hardware";

export interface CloudImageTemplateProps {
  readonly image: Cluster["image"];
  readonly nodeName: string;
  readonly vmId: number;
  readonly bridge: string;
}

export class CloudImageTemplate extends Construct {
  readonly template: VirtualEnvironmentVm;
  readonly vmId: number;

  constructor(scope: Construct, id: string, props: CloudImageTemplateProps) {
    super(scope, id);
    const { image, nodeName } = props;
    this.vmId = props.vmId;
    const download = new DownloadFile(this, "image", {
      nodeName,
      contentType: "import",
      datastoreId: image.datastore,
      url: terraformLiteral(image.url),
      fileName: image.fileName,
      ...(image.checksum ? { checksum: image.checksum.value, checksumAlgorithm: image.checksum.algorithm } : {}),
      // The URL may point at a moving "release" link: do not re-download (and so replace
      // the template) just because upstream published a new build.
      overwrite: false,
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
      efiDisk: uefiFirmware(image.templateDatastore),
      disk: [
        {
          interface: "scsi0",
          datastoreId: image.templateDatastore,
          importFromAttribute: download.id,
          size: 8,
          discard: "on",
          iothread: true,
          ssd: true,
        },
      ],
      networkDevice: [{ bridge: props.bridge, model: "virtio" }],
    });
  }
}
