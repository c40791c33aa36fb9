// Renders a VM's cloud-init user-data (cloud-config YAML) from the spec. The content is
// plain data: hostname, the automation user with its public keys, the guest agent, and on
// workers the virtiofs mounts and the Longhorn disk. k3s bootstrap is layered on by
// the bootstrap code.
import { stringify } from "yaml";
import type { Cluster, Vm } from "../cluster/schema";

/** Roles that run workloads and get the shared directories and the Longhorn disk. */
export const workerRoles: ReadonlySet<Vm["role"]> = new Set(["worker", "vpn-worker", "gpu-worker"]);

/** Where Proxmox exposes the second SCSI disk inside the guest, independent of probe order. */
const longhornDevice = "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi1";

export function renderUserData(cluster: Cluster, vm: Vm): string {
  const isWorker = workerRoles.has(vm.role);
  const mounts: string[][] = [];
  if (isWorker) {
    for (const dir of cluster.sharedDirectories) mounts.push([dir.name, dir.guestPath, "virtiofs", "defaults,nofail", "0", "0"]);
  }
  const longhorn = isWorker && vm.dataDiskGiB !== undefined;
  if (longhorn) mounts.push(["LABEL=longhorn", "/var/lib/longhorn", "ext4", "defaults,nofail,discard", "0", "2"]);

  const config: Record<string, unknown> = {
    hostname: vm.name,
    fqdn: `${vm.name}.${cluster.domain}`,
    manage_etc_hosts: true,
    users: [
      {
        name: cluster.ssh.user,
        groups: ["sudo"],
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: cluster.ssh.authorizedKeys,
      },
    ],
    ssh_pwauth: false,
    disable_root: true,
    package_update: true,
    packages: ["qemu-guest-agent"],
    ...(longhorn
      ? {
          disk_setup: { [longhornDevice]: { table_type: "gpt", layout: true, overwrite: false } },
          fs_setup: [{ label: "longhorn", filesystem: "ext4", device: longhornDevice, partition: "auto", overwrite: false }],
        }
      : {}),
    ...(mounts.length ? { mounts } : {}),
    runcmd: [
      ...mounts.map((m) => ["mkdir", "-p", m[1]]),
      ...(mounts.length ? [["mount", "-a"]] : []),
      ["systemctl", "enable", "--now", "qemu-guest-agent"],
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}
