// Renders a VM's cloud-init user-data (cloud-config YAML) from the spec: hostname, the
// automation user with its public keys, the guest agent, the role's node set-up (shared
// directories, Longhorn disk, NVIDIA), the k3s config and, on the first control plane, the
// manifests k3s deploys by itself; then k3s is installed at the pinned version. Secrets
// appear only as placeholders (bootstrap/secrets.ts).
import { yamlText } from "../lib/yaml-text";
import type { Cluster, Vm } from "../cluster/schema";
import { autoDeployManifests } from "./bootstrap/auto-deploy";
import { firstServer, k3sConfig } from "./bootstrap/k3s-config";
import { nodeCommands, nodeFiles, nodePackagesFor, type WriteFile } from "./bootstrap/node-setup";
import { handoverUnitFiles } from "./bootstrap/handover";
import { k3sManifestsDir } from "./bootstrap/k3s-facts";
import { hasLonghornDisk, workerRoles } from "../cluster/contract";

/** Where Proxmox exposes the second SCSI disk inside the guest, independent of probe order. */
const longhornDevice = "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi1";

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
    package_upgrade: true,
    packages: nodePackagesFor(vm),
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
    runcmd: [
      ...mounts.map((m) => ["mkdir", "-p", m[1]]),
      ...(mounts.length ? [["mount", "-a"]] : []),
      ["systemctl", "enable", "--now", "qemu-guest-agent"],
      ...nodeCommands(cluster, vm, isFirstServer),
      k3sInstallCommand(cluster, vm),
    ],
  };
}

/** fstab entries: the shared directories (virtiofs) and the Longhorn disk, on workers only. */
function guestMounts(cluster: Cluster, vm: Vm): string[][] {
  const mounts: string[][] = [];
  if (workerRoles.has(vm.role)) {
    for (const dir of cluster.sharedDirectories) mounts.push([dir.name, dir.guestPath, "virtiofs", "defaults,nofail", "0", "0"]);
  }
  if (hasLonghornDisk(vm.role, vm.dataDiskGiB)) mounts.push(["LABEL=longhorn", "/var/lib/longhorn", "ext4", "defaults,nofail,discard", "0", "2"]);
  return mounts;
}

/** The node's files and the k3s config; on the first server also what k3s deploys by itself. */
function writeFiles(cluster: Cluster, vm: Vm, isFirstServer: boolean): WriteFile[] {
  const files: WriteFile[] = [...nodeFiles(vm), { path: "/etc/rancher/k3s/config.yaml", permissions: "0600", content: yamlText(k3sConfig(cluster, vm)) }];
  if (isFirstServer) {
    for (const [name, content] of autoDeployManifests(cluster)) files.push({ path: `${k3sManifestsDir}/${name}`, permissions: "0600", content });
    files.push(...handoverUnitFiles(cluster));
  }
  return files;
}

/** The install script at the same tag as the binary; config comes from /etc/rancher/k3s/config.yaml. */
function k3sInstallCommand(cluster: Cluster, vm: Vm): string[] {
  const version = cluster.k3s.version;
  const installScript = `https://raw.githubusercontent.com/k3s-io/k3s/${encodeURIComponent(version)}/install.sh`;
  return [
    "sh",
    "-c",
    `curl -fsSL ${installScript} | INSTALL_K3S_VERSION='${version}' INSTALL_K3S_EXEC='${vm.role === "control-plane" ? "server" : "agent"}' sh -`,
  ];
}
