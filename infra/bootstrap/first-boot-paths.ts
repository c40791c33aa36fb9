// Where the node's first boot lives and keeps its state, on the node.

export const firstBootPath = "/usr/local/sbin/homelab-first-boot";
/** The first boot's state (the reboot marker) and downloads (k3s's binary and script, NVIDIA's key and list). */
export const stateDir = "/var/lib/homelab";
export const downloadsDir = `${stateDir}/downloads`;
/** The file whose presence makes cloud-init reboot the node when its first boot ends (power_state). */
export const rebootRequestPath = "/run/homelab-first-boot.reboot";
/** cloud-init runs every executable here at each boot (cc_scripts_per_boot: <cloud dir>/scripts/per-boot). */
export const perBootLinkPath = "/var/lib/cloud/scripts/per-boot/homelab-first-boot";
