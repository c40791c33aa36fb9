// The NVIDIA driver on a GPU worker's first boot: Ubuntu's precompiled, Canonical-signed kernel
// modules (linux-restricted-modules) instead of DKMS. nvidia-headless-<branch> depends on
// nvidia-dkms-<branch>, which builds only with kernel headers installed, and
// --no-install-recommends installs none; DKMS then skips the build and `modprobe nvidia` fails
// (canonical/nvidia-graphics-drivers, branch 580-server-noble at 24d7353e, debian/control:
// nvidia-headless-580-server Depends nvidia-dkms-580-server; nvidia-headless-no-dkms-580-server
// does not). Ubuntu's own guide installs the modules the same way (Ubuntu Server docs, "NVIDIA
// drivers installation", manual installation with APT: linux-modules-nvidia-<branch>-<flavour>).
//
// The modules come as linux-modules-nvidia-<branch>-<flavour>, a metapackage that depends on the
// modules of the archive's current kernel ABI, which depend on that ABI's kernel image
// (packages.ubuntu.com: linux-modules-nvidia-580-server-generic 6.8.0-149.149 in noble-updates;
// linux-modules-nvidia-575-6.8.0-64-generic Depends linux-image-6.8.0-64-generic |
// linux-image-unsigned-6.8.0-64-generic). So every kernel update (unattended-upgrades, then
// kured's reboot) brings its modules along. Modules for the running kernel are NOT installed:
// each ABI's modules were built against the driver current when that kernel was built and depend
// only on nvidia-kernel-common-<branch> (>= that version), while the userspace is pinned to one
// exact version (debian/control at 24d7353e: nvidia-utils-580-server Depends
// nvidia-kernel-common-580-server-580.126.20, l.109ff; nvidia-headless-no-dkms-580-server
// Depends nvidia-kernel-common-580-server (>= 580.126.20), (<= 580.126.20-1), l.186ff). A
// template's older kernel thus gets older modules than the userspace: "Driver/library version
// mismatch". Instead the step compares the newest kernel's module version (what grub boots next)
// with the userspace's, stops if they differ (no reboot helps; Ubuntu publishes matching modules
// with a kernel update), and reboots once into that kernel when it is not the running one.
// The flavour follows the kernel metapackage the image has, as ubuntu-drivers does
// (canonical/ubuntu-drivers-common UbuntuDrivers/kerneldetection.py): generic, or
// generic-hwe-24.04 on a hardware-enablement kernel. Ubuntu's cloud images run the generic
// flavour (linux-image-virtual, artefact -vmlinuz-generic); linux-restricted-modules builds no
// NVIDIA modules for -kvm (the 580-server flavours: generic, lowlatency, aws, azure, gcp, oracle,
// nvidia), so another flavour stops the step at once. Canonical signs these modules, so they
// load with Secure Boot on or off.
//
// The branch: nodePackages.nvidiaServerBranch (charts/platform/versions.ts), one of noble's
// current server branches. An end-of-life branch becomes transitional packages that depend on
// the next one (570-server on noble: 570.211.01-0ubuntu1.24.04.1, "Transition EOL 570 drivers to
// 580", LP: #2147038), which is why 570 is no longer pinned.
import { nodePackages } from "../../charts/platform/versions";
import { aptInstall, download, downloadsDir, type BootStep } from "./first-boot";

export function nvidiaServerBranch(): string {
  return `${nodePackages.nvidiaServerBranch}-server`;
}

/** The driver, then NVIDIA's container toolkit (k3s looks for its runtime only when it starts). */
export function nvidiaSteps(): BootStep[] {
  const branch = nvidiaServerBranch();
  const keyring = "/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg";
  const toolkit = `${nodePackages.nvidiaContainerToolkit}-1`;
  return [
    {
      title: `NVIDIA driver ${branch}, Ubuntu precompiled modules`,
      run: [
        "running=$(uname -r)",
        'case "$running" in',
        "  *-generic) ;;",
        "  *)",
        `    echo "homelab-first-boot: the running kernel $running is not Ubuntu's generic flavour, and Ubuntu builds no precompiled NVIDIA modules for it (none for -kvm); a reboot does not help: make the template from Ubuntu's cloud image (linux-image-virtual, a generic kernel), or install linux-image-virtual here and reboot" >&2`,
        "    exit 1",
        "    ;;",
        "esac",
        "# shellcheck source=/dev/null",
        ". /etc/os-release",
        "flavour=generic",
        'for meta in "linux-image-generic-hwe-$VERSION_ID" "linux-image-virtual-hwe-$VERSION_ID"; do',
        `  if dpkg -s "$meta" 2>/dev/null | grep -qx 'Status: install ok installed'; then flavour="generic-hwe-$VERSION_ID"; fi`,
        "done",
        // NVDEC (libnvcuvid, libnvidia-decode: debian/libnvidia-decode-580-server.install) beside
        // NVENC: Plex asks for the video capability (charts/apps/app-placement.ts), and
        // libnvidia-encode depends on neither (debian/control l.380ff).
        aptInstall([`"linux-modules-nvidia-${branch}-$flavour"`, ...userspacePackages(branch)]),
        "# shellcheck disable=SC2016 # dpkg-query's format, not a shell expansion",
        `driver=$(dpkg-query -W -f '\${Version}' libnvidia-compute-${branch})`,
        "driver=${driver%%-*}",
        "newest=$(linux-version list | linux-version sort | tail -n 1)",
        'modules=$(modinfo -k "$newest" -F version nvidia 2>/dev/null || true)',
        'if [ "$modules" != "$driver" ]; then',
        `  echo "homelab-first-boot: the NVIDIA modules for kernel $newest are driver \${modules:-(none)}, its userspace is $driver: nvidia-smi would fail with 'Driver/library version mismatch', and a reboot does not help. Ubuntu publishes matching modules with a kernel update: sudo apt-get update && sudo apt-get dist-upgrade, then run this script again" >&2`,
        "  exit 1",
        "fi",
        'if [ "$running" != "$newest" ]; then reboot_and_resume "$newest"; fi',
        "modprobe nvidia",
        // Fails unless the passed-through GPU answers: the PCI mapping and the driver both work.
        "nvidia-smi -L",
      ],
    },
    {
      // NVIDIA's documented apt set-up (NVIDIA Container Toolkit install guide, "With apt"), its
      // four packages pinned to one release as that guide does (NVIDIA_CONTAINER_TOOLKIT_VERSION).
      title: "NVIDIA container toolkit",
      run: [
        `mkdir -p ${downloadsDir}`,
        download("https://nvidia.github.io/libnvidia-container/gpgkey", `${downloadsDir}/nvidia-container-toolkit.asc`),
        `gpg --dearmor --yes -o ${keyring} ${downloadsDir}/nvidia-container-toolkit.asc`,
        download("https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list", `${downloadsDir}/nvidia-container-toolkit.list`),
        `sed 's#deb https://#deb [signed-by=${keyring}] https://#' ${downloadsDir}/nvidia-container-toolkit.list > /etc/apt/sources.list.d/nvidia-container-toolkit.list`,
        "apt_update",
        aptInstall(
          ["nvidia-container-toolkit", "nvidia-container-toolkit-base", "libnvidia-container-tools", "libnvidia-container1"].map((p) => `${p}=${toolkit}`),
        ),
      ],
    },
  ];
}

/** The driver's userspace: headless (no DKMS), nvidia-smi, NVENC and NVDEC. */
export function userspacePackages(branch: string): string[] {
  return [`nvidia-headless-no-dkms-${branch}`, `nvidia-utils-${branch}`, `libnvidia-encode-${branch}`, `libnvidia-decode-${branch}`];
}
