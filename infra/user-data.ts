// Renders a VM's cloud-init user-data (cloud-config YAML) from the spec: hostname, the
// automation user with its public keys, the guest agent, the role's node set-up (shared
// directories, Longhorn disk, NVIDIA), the k3s config and, on the first control plane, the
// manifests k3s deploys by itself. Every step that can fail (packages, mounts, driver, downloads,
// k3s itself, last) is in one first-boot script that stops at the first failure
// (bootstrap/first-boot.ts); runcmd only starts it. Secrets appear only as placeholders
// (bootstrap/secrets.ts).
import { yamlText } from "../lib/yaml-text";
import type { Cluster, Vm } from "../cluster/schema";
import { autoDeployManifests } from "./bootstrap/auto-deploy";
import { firstServer, k3sConfig, k3sConfigPath } from "./bootstrap/k3s-config";
import { nodeFiles, nodeSteps, type WriteFile } from "./bootstrap/node-setup";
import { firstBootFile, firstBootPath } from "./bootstrap/first-boot";
import { rebootRequestPath } from "./bootstrap/first-boot-paths";
import { handoverUnitFiles } from "./bootstrap/handover";
import { k3sManifestsDir } from "./bootstrap/k3s-facts";
import { hasLonghornDisk, workerRoles } from "../cluster/contract";

/** Where Proxmox exposes the second SCSI disk inside the guest, independent of probe order. */
const longhornDevice = "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi1";
const longhornMount = "/var/lib/longhorn";

export function renderUserData(cluster: Cluster, vm: Vm): string {
  return userDataText(yamlText(cloudConfig(cluster, vm)));
}

/** The user-data file around the cloud-config document (cloud-init reads the first line). */
function userDataText(cloudConfigYaml: string): string {
  return `#cloud-config\n${cloudConfigYaml}`;
}

/** The VM's cloud-config document, before it is written as YAML. */
export function cloudConfig(cluster: Cluster, vm: Vm): Record<string, unknown> {
  const isFirstServer = firstServer(cluster).name === vm.name;
  const longhorn = hasLonghornDisk(vm.role, vm.dataDiskGiB);
  const mounts = guestMounts(cluster, vm);
  const files = writeFiles(cluster, vm, isFirstServer);
  return {
    hostname: vm.name,
    fqdn: `${vm.name}.${cluster.domain}`,
    manage_etc_hosts: true,
    // The lab's time zone on every node too (journal, unattended-upgrades' schedule), as in its apps.
    timezone: cluster.timeZone,
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
    ...(longhorn
      ? {
          disk_setup: { [longhornDevice]: { table_type: "gpt", layout: true, overwrite: false } },
          fs_setup: [{ label: "longhorn", filesystem: "ext4", device: longhornDevice, partition: "auto", overwrite: false }],
        }
      : {}),
    ...(mounts.length ? { mounts } : {}),
    write_files: files.map((f) => ({
      path: f.path,
      content: f.content,
      ...(f.encoding ? { encoding: f.encoding } : {}),
      owner: "root:root",
      permissions: f.permissions ?? "0644",
    })),
    // One command: cloud-init's runcmd file has no `set -e`, the script has (first-boot.ts).
    runcmd: [[firstBootPath]],
    // A GPU worker may need one reboot into the kernel its NVIDIA modules are built for; the
    // script asks for it with a file, and cloud-init reboots when this boot's last stage ends
    // (cc_power_state_change: `condition` exit 0 = reboot, 1 = not). The script then continues
    // from cloud-init's per-boot scripts (first-boot-helpers.ts, reboot_and_resume).
    ...(vm.role === "gpu-worker"
      ? {
          power_state: {
            mode: "reboot",
            condition: `test -e ${rebootRequestPath}`,
            message: "homelab-first-boot: rebooting into the kernel the NVIDIA modules are built for",
          },
        }
      : {}),
  };
}

/** fstab entries: the shared directories (virtiofs) and the Longhorn disk, on workers only. */
function guestMounts(cluster: Cluster, vm: Vm): string[][] {
  const mounts: string[][] = [];
  if (workerRoles.has(vm.role)) {
    for (const dir of cluster.sharedDirectories) mounts.push([dir.name, dir.guestPath, "virtiofs", "defaults,nofail", "0", "0"]);
  }
  if (hasLonghornDisk(vm.role, vm.dataDiskGiB)) mounts.push(["LABEL=longhorn", longhornMount, "ext4", "defaults,nofail,discard", "0", "2"]);
  return mounts;
}

/** The node's files and the k3s config; on the first server also what k3s deploys by itself. */
function writeFiles(cluster: Cluster, vm: Vm, isFirstServer: boolean): WriteFile[] {
  const steps = nodeSteps(
    cluster,
    vm,
    isFirstServer,
    guestMounts(cluster, vm).map((m) => m[1]),
  );
  const files: WriteFile[] = [...nodeFiles(vm), { path: k3sConfigPath, permissions: "0600", content: yamlText(k3sConfig(cluster, vm)) }, firstBootFile(steps)];
  if (isFirstServer) {
    for (const [name, content] of autoDeployManifests(cluster)) files.push({ path: `${k3sManifestsDir}/${name}`, permissions: "0600", content });
    files.push(...handoverUnitFiles(cluster));
  }
  return files;
}
