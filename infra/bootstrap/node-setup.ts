// What every node needs before k3s starts, per role: packages, kernel settings, Longhorn's
// prerequisites on workers, and on GPU workers the NVIDIA driver and container toolkit, so
// that k3s finds nvidia-container-runtime at start and gives containerd an `nvidia` runtime.
import type { Cluster, Vm } from "../../cluster/schema";
import { nodePackages } from "../../charts/platform/versions";
import { gatewayApiBootstrapFiles } from "../../charts/platform/gateway-api";
import { handoverCommands } from "./handover";
import { k3sManifestsDir } from "./k3s-facts";
import { workerRoles } from "../../cluster/contract";

export interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly permissions?: string;
  /** b64: content is base64 (a single line, safe for values Terraform fills in). */
  readonly encoding?: "b64";
}

export function nodePackagesFor(vm: Vm): string[] {
  const base = ["qemu-guest-agent", "curl", "ca-certificates", "gnupg"];
  // Longhorn attaches volumes over iSCSI and serves RWX volumes over NFS.
  return workerRoles.has(vm.role) ? [...base, "open-iscsi", "nfs-common"] : base;
}

export function nodeFiles(vm: Vm): WriteFile[] {
  const files: WriteFile[] = [
    {
      path: "/etc/sysctl.d/90-k3s.conf",
      content: ["net.ipv4.ip_forward = 1", "fs.inotify.max_user_instances = 8192", "fs.inotify.max_user_watches = 524288", ""].join("\n"),
    },
  ];
  if (workerRoles.has(vm.role)) {
    files.push({ path: "/etc/modules-load.d/longhorn.conf", content: "iscsi_tcp\n" });
    // multipathd would claim Longhorn's block devices (Longhorn's documented fix).
    files.push({ path: "/etc/multipath.conf", content: 'defaults {\n    user_friendly_names yes\n}\nblacklist {\n    devnode "^sd[a-z0-9]+"\n}\n' });
  }
  if (vm.role === "gpu-worker") files.push({ path: "/usr/local/sbin/homelab-nvidia-setup", permissions: "0755", content: nvidiaSetupScript() });
  return files;
}

export function nodeCommands(cluster: Cluster, vm: Vm, isFirstServer: boolean): string[][] {
  const commands: string[][] = [["sysctl", "--system"]];
  if (workerRoles.has(vm.role)) commands.push(["systemctl", "enable", "--now", "iscsid"], ["systemctl", "restart", "multipathd"]);
  if (vm.role === "gpu-worker") commands.push(["/usr/local/sbin/homelab-nvidia-setup"]);
  if (isFirstServer) {
    // Cilium's operator enables its Gateway controller only if the CRDs exist when it starts.
    for (const { file, url } of gatewayApiBootstrapFiles(cluster.platform.gatewayApi.version))
      commands.push(["curl", "-fsSL", "-o", `${k3sManifestsDir}/${file}`, url]);
    commands.push(...handoverCommands);
  }
  return commands;
}

function nvidiaSetupScript(): string {
  const branch = nodePackages.nvidiaDriverBranch;
  return `#!/bin/sh
# Installs the NVIDIA driver and container toolkit before k3s starts (generated; do not edit).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends nvidia-headless-${branch} nvidia-utils-${branch} libnvidia-encode-${branch}
curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor --yes -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list \\
  | sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#' \\
  > /etc/apt/sources.list.d/nvidia-container-toolkit.list
apt-get update
apt-get install -y --no-install-recommends nvidia-container-toolkit
modprobe nvidia
nvidia-smi -L
`;
}
