// A cluster-wide PCI hardware mapping per GPU in the spec. VMs pass a GPU through by
// mapping name, which works with an API token (hostpci.id needs root@pam).
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
              path: gpu.pci,
              id: gpu.deviceId,
              iommuGroup: gpu.iommuGroup,
              ...(gpu.subsystemId ? { subsystemId: gpu.subsystemId } : {}),
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
