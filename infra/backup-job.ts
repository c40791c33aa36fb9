// The daily vzdump job of seed 000: every VM in the lab's pool, to the backup datastore,
// with keep-daily/weekly/monthly retention from the spec.
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { BackupJob } from "../imports/providers/proxmox/backup-job";
import type { VirtualEnvironmentPool } from "../imports/providers/proxmox/virtual-environment-pool";
import type { Cluster } from "../cluster/schema";

export interface LabBackupsProps {
  readonly backups: NonNullable<Cluster["backups"]>;
  readonly pool: VirtualEnvironmentPool;
  readonly labName: string;
  /** The backup datastore's definition, when Terraform manages it. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class LabBackups extends Construct {
  readonly job: BackupJob;

  constructor(scope: Construct, id: string, props: LabBackupsProps) {
    super(scope, id);
    const { backups } = props;
    this.job = new BackupJob(this, "job", {
      id: `${props.labName}-daily`,
      schedule: backups.schedule,
      storage: backups.datastore,
      // Selecting the pool (not a VM id list) includes VMs added later automatically.
      pool: props.pool.poolId,
      mode: backups.mode,
      compress: backups.compression,
      enabled: true,
      repeatMissed: true,
      notesTemplate: "{{guestname}} ({{vmid}}) on {{node}}",
      ...(props.dependsOn?.length ? { dependsOn: [...props.dependsOn] } : {}),
      pruneBackups: {
        "keep-daily": String(backups.keep.daily),
        "keep-weekly": String(backups.keep.weekly),
        "keep-monthly": String(backups.keep.monthly),
      },
    });
  }
}
