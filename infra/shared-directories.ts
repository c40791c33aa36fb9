// Host directories (the bulk and archive ZFS datasets) shared into worker VMs with
// virtiofs: one cluster-wide directory mapping each, mapped on every Proxmox node.
// Needs Proxmox VE 8.4 or later.
import { Construct } from "constructs";
import { HardwareMappingDir } from "../imports/providers/proxmox/hardware-mapping-dir";
import type { Cluster } from "../cluster/schema";

export interface SharedDirectoriesProps {
  readonly directories: Cluster["sharedDirectories"];
  readonly nodeNames: readonly string[];
}

export class SharedDirectories extends Construct {
  readonly mappings: readonly HardwareMappingDir[];

  constructor(scope: Construct, id: string, props: SharedDirectoriesProps) {
    super(scope, id);
    this.mappings = props.directories.map(
      (dir) =>
        new HardwareMappingDir(this, dir.name, {
          name: dir.name,
          // ASCII only: Proxmox stores a mapping's description as sent (pve-guest-common
          // src/PVE/Mapping/Dir.pm has no encoding step), so npm run check refuses anything else.
          comment: `${dir.hostPath}, mounted at ${dir.guestPath} in worker VMs`,
          map: props.nodeNames.map((node) => ({ nodeAttribute: node, path: dir.hostPath })),
        }),
    );
  }
}
