// The Proxmox resource pool every lab VM joins (permissions and the backup selection).
import { Construct } from "constructs";
import { VirtualEnvironmentPool } from "../imports/providers/proxmox/virtual-environment-pool";

export interface LabPoolProps {
  readonly poolId: string;
  readonly labName: string;
}

export class LabPool extends Construct {
  readonly pool: VirtualEnvironmentPool;

  constructor(scope: Construct, id: string, props: LabPoolProps) {
    super(scope, id);
    this.pool = new VirtualEnvironmentPool(this, "pool", {
      poolId: props.poolId,
      comment: `${props.labName}: k3s VMs managed by Terraform`,
    });
  }
}
