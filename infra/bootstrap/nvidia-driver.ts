// The NVIDIA driver on a GPU worker's first boot: Ubuntu's precompiled, Canonical-signed kernel
// modules (linux-restricted-modules) instead of DKMS. nvidia-headless-<branch> depends on
// nvidia-dkms-<branch>, which builds only with kernel headers installed, and
// --no-install-recommends installs none; DKMS then skips the build and `modprobe nvidia` fails
// (canonical/nvidia-graphics-drivers, branch 580-server-noble at 24d7353e, debian/control:
// nvidia-headless-580-server Depends nvidia-dkms-580-server; nvidia-headless-no-dkms-580-server
// does not). Ubuntu's own guide installs the modules the same way (Ubuntu Server docs, "NVIDIA
// drivers installation", manual installation with APT: linux-modules-nvidia-<branch>-<flavour>).
//
// Two module packages (source linux-restricted-modules, packages.ubuntu.com noble-updates):
// - linux-modules-nvidia-<branch>-<flavour>, the metapackage: it depends on the modules of the
//   archive's current kernel ABI, so every kernel upgrade (unattended-upgrades, then kured's
//   reboot) brings the modules of the new kernel with it;
// - linux-modules-nvidia-<branch>-$(uname -r): the modules of the kernel running now, so
//   `modprobe nvidia` works before any reboot.
// The flavour follows the kernel metapackage the image has, as ubuntu-drivers does
// (canonical/ubuntu-drivers-common UbuntuDrivers/kerneldetection.py): generic, or
// generic-hwe-24.04 on a hardware-enablement kernel. Canonical signs these modules, so they load
// with Secure Boot on or off.
//
// The branch: nodePackages.nvidiaServerBranch (charts/platform/versions.ts), one of noble's
// current server branches. An end-of-life branch becomes transitional packages that depend on
// the next one (570-server on noble: 570.211.01-0ubuntu1.24.04.1, "Transition EOL 570 drivers to
// 580", LP: #2147038), which is why 570 is no longer pinned.
import { nodePackages } from "../../charts/platform/versions";
import { aptInstall, download, downloadsDir, firstBootPath, type BootStep } from "./first-boot";

export function nvidiaServerBranch(): string {
  return `${nodePackages.nvidiaServerBranch}-server`;
}

/** The driver, then NVIDIA's container toolkit (k3s looks for its runtime only when it starts). */
export function nvidiaSteps(): BootStep[] {
  const branch = nvidiaServerBranch();
  const modules = `linux-modules-nvidia-${branch}`;
  const keyring = "/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg";
  return [
    {
      title: `NVIDIA driver ${branch}, Ubuntu precompiled modules`,
      run: [
        "# shellcheck source=/dev/null",
        ". /etc/os-release",
        "flavour=generic",
        'for meta in "linux-image-generic-hwe-$VERSION_ID" "linux-image-virtual-hwe-$VERSION_ID"; do',
        `  if dpkg -s "$meta" 2>/dev/null | grep -qx 'Status: install ok installed'; then flavour="generic-hwe-$VERSION_ID"; fi`,
        "done",
        `running="${modules}-$(uname -r)"`,
        'if ! apt-cache show "$running" >/dev/null 2>&1; then',
        `  echo "homelab-first-boot: the archive has no $running for the running kernel $(uname -r); reboot into the newest kernel (sudo reboot), then run sudo ${firstBootPath}" >&2`,
        "  exit 1",
        "fi",
        aptInstall([`"${modules}-$flavour"`, '"$running"', `nvidia-headless-no-dkms-${branch}`, `nvidia-utils-${branch}`, `libnvidia-encode-${branch}`]),
        "modprobe nvidia",
        // Fails unless the passed-through GPU answers: the PCI mapping and the driver both work.
        "nvidia-smi -L",
      ],
    },
    {
      // NVIDIA's documented apt set-up (NVIDIA Container Toolkit install guide, "With apt").
      title: "NVIDIA container toolkit",
      run: [
        `mkdir -p ${downloadsDir}`,
        download("https://nvidia.github.io/libnvidia-container/gpgkey", `${downloadsDir}/nvidia-container-toolkit.asc`),
        `gpg --dearmor --yes -o ${keyring} ${downloadsDir}/nvidia-container-toolkit.asc`,
        download("https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list", `${downloadsDir}/nvidia-container-toolkit.list`),
        `sed 's#deb https://#deb [signed-by=${keyring}] https://#' ${downloadsDir}/nvidia-container-toolkit.list > /etc/apt/sources.list.d/nvidia-container-toolkit.list`,
        "apt_get update",
        aptInstall(["nvidia-container-toolkit"]),
      ],
    },
  ];
}
