// What every node needs before k3s starts, per role, as the steps of its first-boot script
// (first-boot.ts): packages, kernel settings, the shared directories and Longhorn's disk and
// prerequisites on workers, on GPU workers the NVIDIA driver and container toolkit (so that k3s
// finds nvidia-container-runtime at start and gives containerd an `nvidia` runtime), the
// Gateway API CRDs on the first server, and k3s itself last.
import type { Cluster, Vm } from "../../cluster/schema";
import { gatewayApiBootstrapFiles } from "../../charts/platform/gateway-api";
import { handoverCommands } from "./handover";
import { k3sManifestsDir } from "./k3s-facts";
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
  return files;
}

/** The node's first boot, in order; k3s is the last step. `guestPaths`: the mount points fstab lists. */
export function nodeSteps(cluster: Cluster, vm: Vm, isFirstServer: boolean, guestPaths: readonly string[]): BootStep[] {
  const steps: BootStep[] = [
    {
      title: "system packages",
      run: ["apt_get update", "apt_get dist-upgrade", aptInstall(nodePackagesFor(vm)), "systemctl enable --now qemu-guest-agent"],
    },
    { title: "kernel settings", run: ["sysctl --system"] },
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
  steps.push(k3sStep(cluster, vm));
  return steps;
}

/**
 * k3s at the pinned tag, the way k3s documents an air-gapped install: the binary and its checksum
 * list from the release, install.sh from the same tag, then install.sh with
 * INSTALL_K3S_SKIP_DOWNLOAD=true (its own download is single-shot: install.sh download() ends in
 * `fatal 'Download failed'`). Config comes from /etc/rancher/k3s/config.yaml.
 */
function k3sStep(cluster: Cluster, vm: Vm): BootStep {
  const version = cluster.k3s.version;
  const tag = encodeURIComponent(version);
  const release = `https://github.com/k3s-io/k3s/releases/download/${tag}`;
  const dir = `${downloadsDir}/k3s`;
  return {
    title: `k3s ${version}`,
    run: [
      `mkdir -p ${dir}`,
      download(`${release}/k3s`, `${dir}/k3s`),
      download(`${release}/sha256sum-amd64.txt`, `${dir}/sha256sum-amd64.txt`),
      download(`https://raw.githubusercontent.com/k3s-io/k3s/${tag}/install.sh`, `${dir}/install.sh`),
      `(cd ${dir} && grep ' k3s$' sha256sum-amd64.txt | sha256sum --check --strict -)`,
      `install -m 0755 ${dir}/k3s /usr/local/bin/k3s`,
      `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_VERSION='${version}' INSTALL_K3S_EXEC='${vm.role === "control-plane" ? "server" : "agent"}' sh ${dir}/install.sh`,
    ],
  };
}
