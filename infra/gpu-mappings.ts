// A cluster-wide PCI hardware mapping per GPU in the spec. VMs pass a GPU through by
// mapping name, which works with an API token (hostpci.id needs root@pam).
//
// Proxmox checks the mapping against the device whenever the VM starts: vendor:device id,
// subsystem id and IOMMU group must match, and a subsystem id the device has but the mapping
// lacks is an error (proxmox/pve-guest-common src/PVE/Mapping/PCI.pm, assert_valid, at commit
// 4a8f6cbf). A path without the function ("0000:47:00") maps every function of the card, with
// the attributes of function 0: that is Proxmox's "All Functions", which passes the GPU's HDMI
// audio (47:00.1, same IOMMU group) along (same file, map_fmt path; qemu-server
// src/PVE/QemuServer/PCI.pm parse_hostpci at commit e6352be6). bpg v0.111.1 accepts that path
// (fwprovider/types/hardwaremapping/path.go:44).
import { Construct } from "constructs";
import { HardwareMappingPci } from "../imports/providers/proxmox/hardware-mapping-pci";
import type { ProxmoxNode } from "../cluster/schema";
import { terraformLiteral } from "./terraform-names";

export interface GpuMappingsProps {
  readonly nodes: readonly ProxmoxNode[];
}

export class GpuMappings extends Construct {
  private readonly byName = new Map<string, HardwareMappingPci>();

  constructor(scope: Construct, id: string, props: GpuMappingsProps) {
    super(scope, id);
    for (const node of props.nodes) {
      for (const gpu of node.gpus) {
        const mapping = new HardwareMappingPci(this, gpu.name, {
          name: gpu.name,
          comment: terraformLiteral(`${gpu.vendor} ${gpu.model} on ${node.name}`),
          map: [
            {
              nodeAttribute: node.name,
              path: gpu.allFunctions ? gpu.pci.replace(/\.0$/, "") : gpu.pci,
              id: gpu.deviceId,
              subsystemId: gpu.subsystemId,
              iommuGroup: gpu.iommuGroup,
            },
          ],
        });
        this.byName.set(gpu.name, mapping);
      }
    }
  }

  /** The mapping of a GPU; the spec validation guarantees it exists. */
  mapping(gpuName: string): HardwareMappingPci {
    const mapping = this.byName.get(gpuName);
    if (!mapping) throw new Error(`internal: no PCI mapping for GPU '${gpuName}'`);
    return mapping;
  }
}
