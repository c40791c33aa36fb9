// What every node needs before k3s starts, per role, as the steps of its first-boot script
// (first-boot.ts): packages, kernel settings, the shared directories and Longhorn's disk and
// prerequisites on workers, on GPU workers the NVIDIA driver and container toolkit (so that k3s
// finds nvidia-container-runtime at start and gives containerd an `nvidia` runtime), the
// Gateway API CRDs on the first server, and k3s itself last.
import type { Cluster, Vm } from "../../cluster/schema";
import { gatewayApiBootstrapFiles } from "../../charts/platform/gateway-api";
import { handoverCommands } from "./handover";
import { k3sManifestsDir } from "./k3s-facts";
import { firstServer, k3sConfigPath } from "./k3s-config";
import { workerRoles } from "../../cluster/contract";
import { aptInstall, download, downloadsDir, shellWord, type BootStep } from "./first-boot";
import { nvidiaSteps } from "./nvidia-driver";

export interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly permissions?: string;
  /** b64: content is base64 (a single line, safe for values Terraform fills in). */
  readonly encoding?: "b64";
}

export function nodePackagesFor(vm: Vm): string[] {
  const base = ["qemu-guest-agent", "curl", "ca-certificates", "gnupg"];
  // Longhorn attaches volumes over iSCSI and serves RWX volumes over NFS. multipath-tools: the
  // workers restart multipathd with Longhorn's blacklist, and a cloud image need not ship it.
  return workerRoles.has(vm.role) ? [...base, "open-iscsi", "nfs-common", "multipath-tools"] : base;
}

/** The kernel settings every node loads (nodeFiles). */
const sysctlFile = "/etc/sysctl.d/90-k3s.conf";

export function nodeFiles(vm: Vm): WriteFile[] {
  const files: WriteFile[] = [
    {
      path: sysctlFile,
      content: ["net.ipv4.ip_forward = 1", "fs.inotify.max_user_instances = 8192", "fs.inotify.max_user_watches = 524288", ""].join("\n"),
    },
  ];
  if (workerRoles.has(vm.role)) {
    files.push({ path: "/etc/modules-load.d/longhorn.conf", content: "iscsi_tcp\n" });
    // multipathd would claim Longhorn's block devices (Longhorn's documented fix).
    files.push({ path: "/etc/multipath.conf", content: 'defaults {\n    user_friendly_names yes\n}\nblacklist {\n    devnode "^sd[a-z0-9]+"\n}\n' });
  }
  return files;
}

/** The node's first boot, in order; k3s is the last step. `guestPaths`: the mount points fstab lists. */
export function nodeSteps(cluster: Cluster, vm: Vm, isFirstServer: boolean, guestPaths: readonly string[]): BootStep[] {
  const steps: BootStep[] = [
    {
      title: "system packages",
      run: ["apt_update", "apt_get dist-upgrade", aptInstall(nodePackagesFor(vm)), "systemctl enable --now qemu-guest-agent"],
    },
    // Only this file: `sysctl --system` would fail the step on any other sysctl.d file's error.
    { title: "kernel settings", run: [`sysctl -p ${sysctlFile}`] },
  ];
  if (guestPaths.length) {
    // fstab's entries are nofail, so `mount -a` succeeds without them: check each one is mounted,
    // or pods would write /data into the VM's own disk.
    steps.push({
      title: "shared directories and the Longhorn disk",
      run: [`mkdir -p ${guestPaths.map(shellWord).join(" ")}`, "mount -a", ...guestPaths.map((p) => `mountpoint -q ${shellWord(p)}`)],
    });
  }
  if (workerRoles.has(vm.role))
    steps.push({ title: "iSCSI and multipath for Longhorn", run: ["systemctl enable --now iscsid", "systemctl restart multipathd"] });
  if (vm.role === "gpu-worker") steps.push(...nvidiaSteps());
  if (isFirstServer) {
    // Cilium's operator enables its Gateway controller only if the CRDs exist when it starts.
    steps.push({
      title: "Gateway API CRDs",
      run: [
        `mkdir -p ${k3sManifestsDir}`,
        ...gatewayApiBootstrapFiles(cluster.platform.gatewayApi.version).map((f) => download(f.url, `${k3sManifestsDir}/${f.file}`)),
      ],
    });
    steps.push({ title: "hand-over timer", run: handoverCommands.map((c) => c.join(" ")) });
  }
  steps.push(k3sStep(cluster, vm, isFirstServer));
  return steps;
}

/** How long a joining node waits for the API VIP, and any node for its k3s unit to be active. */
export const apiWaitMinutes = 20;
export const k3sStartMinutes = 15;

/**
 * k3s at the pinned tag, the way k3s documents an air-gapped install: the binary and its checksum
 * list from the release, install.sh from the same tag, then install.sh with
 * INSTALL_K3S_SKIP_DOWNLOAD=true (its own download is single-shot: install.sh download() ends in
 * `fatal 'Download failed'`). Config comes from /etc/rancher/k3s/config.yaml, which must exist:
 * without it a server would found a cluster of its own. A joining node first waits for the API
 * VIP; every node then starts its unit itself and waits for it, bounded (first-boot-helpers.ts).
 */
function k3sStep(cluster: Cluster, vm: Vm, isFirstServer: boolean): BootStep {
  const version = cluster.k3s.version;
  const tag = encodeURIComponent(version);
  const release = `https://github.com/k3s-io/k3s/releases/download/${tag}`;
  const dir = `${downloadsDir}/k3s`;
  const server = vm.role === "control-plane";
  const first = firstServer(cluster);
  return {
    title: `k3s ${version}`,
    run: [
      `if [ ! -s ${k3sConfigPath} ]; then`,
      `  echo "homelab-first-boot: ${k3sConfigPath} is missing or empty: cloud-init's write_files did not write it (grep -i write_files /var/log/cloud-init.log). k3s is not installed without it: it would start without the lab's settings, and a server would found a cluster of its own" >&2`,
      "  exit 1",
      "fi",
      `mkdir -p ${dir}`,
      download(`${release}/k3s`, `${dir}/k3s`),
      download(`${release}/sha256sum-amd64.txt`, `${dir}/sha256sum-amd64.txt`),
      download(`https://raw.githubusercontent.com/k3s-io/k3s/${tag}/install.sh`, `${dir}/install.sh`),
      `(cd ${dir} && grep ' k3s$' sha256sum-amd64.txt | sha256sum --check --strict -)`,
      `install -m 0755 ${dir}/k3s /usr/local/bin/k3s`,
      ...(isFirstServer ? [] : [`wait_for_api https://${cluster.network.apiVip}:6443/cacerts ${apiWaitMinutes} ${shellWord(`${first.name} (${first.ip})`)}`]),
      `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_SKIP_START=true INSTALL_K3S_VERSION='${version}' INSTALL_K3S_EXEC='${server ? "server" : "agent"}' sh ${dir}/install.sh`,
      // install.sh names the unit after the command: k3s for a server, k3s-agent for an agent.
      `start_unit ${server ? "k3s" : "k3s-agent"} ${k3sStartMinutes}`,
    ],
  };
}
