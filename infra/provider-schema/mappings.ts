// Cluster-wide hardware mappings (framework resources): PCI devices for GPU passthrough
// (docs/resources/hardware_mapping_pci.md) and host directories for virtiofs
// (docs/resources/hardware_mapping_dir.md).
import { block, computed, nested, optional, required, type Schema } from "./dsl";

export const hardwareMappingPciSchema: Schema = {
  version: 0,
  block: block({
    id: computed("string", "The unique identifier of this PCI hardware mapping resource."),
    name: required("string", "The name of this PCI hardware mapping."),
    comment: optional("string", "The comment of this PCI hardware mapping."),
    mediated_devices: optional("bool", "Indicates whether to enable mediated devices.", { computed: true }),
    map: nested("set", "required", "The actual map of devices for the PCI hardware mapping.", {
      id: required("string", "The ID of the map."),
      node: required("string", "The node name of the map."),
      path: required("string", "The path of the map."),
      comment: optional("string", "The comment of the mapped PCI device."),
      iommu_group: optional("number", "The IOMMU group of the map."),
      subsystem_id: optional("string", "The subsystem ID group of the map."),
    }),
  }),
};

export const hardwareMappingDirSchema: Schema = {
  version: 0,
  block: block({
    id: computed("string", "The unique identifier of this directory mapping resource."),
    name: required("string", "The name of this directory mapping."),
    comment: optional("string", "The comment of this directory mapping."),
    map: nested("set", "required", "The actual map of devices for the hardware mapping.", {
      node: required("string", "The node this mapping applies to."),
      path: required("string", "The POSIX path of the directory as visible from the node."),
    }),
  }),
};
