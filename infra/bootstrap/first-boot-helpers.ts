// Shell functions the first-boot script's steps call: apt with its locks, the wait for the API VIP,
// the bounded start of k3s, and the one reboot a GPU worker may need. The script defines only the
// ones its steps use (and what those call), so each node's script holds what it runs.
import { firstBootPath, perBootLinkPath, rebootRequestPath, stateDir } from "./first-boot-paths";

interface Helper {
  readonly uses?: readonly string[];
  readonly lines: readonly string[];
}

const helpers: Record<string, Helper> = {
  // Waits up to 10 minutes for dpkg's lock instead of failing while unattended-upgrades holds it
  // (DPkg::Lock::Timeout: apt 2.7.14 apt-pkg/deb/debsystem.cc:130 GetLockMaybeWait), and retries
  // failed downloads with backoff (Acquire::Retries, apt 2.3.7 and later back off between tries).
  apt_get: {
    lines: ["apt_get() {", '  apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 -o Dpkg::Options::=--force-confold -y "$@"', "}"],
  },
  // `apt-get update` exits 0 when a mirror fails (it only warns): APT::Update::Error-Mode=any
  // makes any failed index an error, so a mirror that does not answer is retried here and then
  // stops the boot instead of installing from stale or missing lists. It also takes
  // /var/lib/apt/lists/lock without waiting (apt 2.7.14 apt-pkg/update.cc:30 ->
  // apt-pkg/acquire.cc:179, a plain ::GetLock; DPkg::Lock::Timeout covers only dpkg's locks),
  // which apt-daily.service holds on a re-run by hand (during cloud-init it cannot: cloud-final
  // is ordered before apt-daily). Retry, 20 s longer each time, ~9 minutes.
  apt_update: {
    uses: ["apt_get"],
    lines: [
      "apt_update() {",
      "  tries=1",
      "  until apt_get -o APT::Update::Error-Mode=any update; do",
      '    if [ "$tries" -ge 8 ]; then',
      '      echo "homelab-first-boot: apt-get update failed $tries times: another apt held /var/lib/apt/lists/lock all along, or no mirror answered" >&2',
      "      return 1",
      "    fi",
      '    echo "homelab-first-boot: apt-get update failed (another apt may hold /var/lib/apt/lists/lock); try $((tries + 1)) of 8 in $((tries * 20)) s"',
      "    sleep $((tries * 20))",
      "    tries=$((tries + 1))",
      "  done",
      "}",
    ],
  },
  // Waits, bounded, until the API VIP answers ($1 its /cacerts, $2 minutes, $3 the node that
  // brings it up). A joining k3s exits at once when its server does not answer: its first request
  // is GET /cacerts, which needs no authentication (k3s pkg/server/router.go, stored 2025 copies;
  // k3s-io/k3s#9343: "failed to get CA certs … connection refused"), and install.sh then fails.
  // The VIP answers once the first control plane runs k3s and kube-vip holds the lease.
  // --insecure: a probe that sends nothing. (k3s itself checks the CA it fetches only against a
  // token's CA hash, `K10<hash>::…`; the lab's tokens are bare passwords, so a joining node trusts
  // whichever host answers on the VIP first: docs/security.md, "Joining nodes".)
  wait_for_api: {
    lines: [
      "wait_for_api() {",
      "  deadline=$(($(date +%s) + $2 * 60))",
      "  delay=5",
      '  until curl --fail --silent --insecure --output /dev/null --connect-timeout 10 --max-time 20 "$1"; do',
      '    if [ "$(date +%s)" -ge "$deadline" ]; then',
      '      echo "homelab-first-boot: $1 did not answer within $2 minutes. It is the API VIP, which kube-vip announces once k3s runs on $3: check that node\'s first boot there (cloud-init status --long; journalctl -u k3s), then run this script again here" >&2',
      "      return 1",
      "    fi",
      '    echo "homelab-first-boot: waiting for $1, which answers once k3s runs on $3; next try in $delay s"',
      '    sleep "$delay"',
      "    delay=$((delay * 2))",
      '    if [ "$delay" -gt 60 ]; then delay=60; fi',
      "  done",
      "}",
    ],
  },
  // Starts a unit install.sh enabled (INSTALL_K3S_SKIP_START) and waits, bounded, for it to be
  // active ($1 the unit, $2 minutes). install.sh's own start is one `systemctl restart` under
  // `set -e` (systemd_start): a first try that fails fails the boot although the unit restarts
  // on its own (Restart=always, RestartSec=5s), and with TimeoutStartSec=0 an agent that never
  // joins blocks forever; on a re-run install.sh skips the start ("No change detected").
  start_unit: {
    lines: [
      "start_unit() {",
      // A unit stuck activating (an agent that never joined) keeps its old config until restarted.
      '  if systemctl is-active --quiet "$1"; then return 0; fi',
      '  systemctl restart --no-block "$1"',
      "  deadline=$(($(date +%s) + $2 * 60))",
      '  until systemctl is-active --quiet "$1"; do',
      '    if [ "$(date +%s)" -ge "$deadline" ]; then',
      '      echo "homelab-first-boot: $1 did not become active within $2 minutes (systemd keeps restarting it): journalctl -u $1" >&2',
      "      return 1",
      "    fi",
      "    sleep 10",
      "  done",
      "}",
    ],
  },
  // Reboots once into kernel $1 and resumes the first boot after it. The script cannot reboot by
  // itself: cloud-init would not record this boot's result, and runcmd never runs again
  // (scripts_user is per instance). So it leaves a request that cloud-init's power_state module
  // reads when the boot's last stage ends (its `condition`; cc_power_state_change), and links this
  // script into cloud-init's per-boot scripts, which run it at the next boot and report its
  // result in `cloud-init status` ("Runparts: 1 failures (homelab-first-boot)" on failure;
  // cc_scripts_per_boot, subp.runparts). The finished script removes the link. power_state runs
  // once per instance: only the first reboot is automatic; a later one (a newer kernel arrived
  // meanwhile) stops the script and asks the operator, and the script resumes after it all the same.
  reboot_and_resume: {
    lines: [
      `per_boot_link=${perBootLinkPath}`,
      `reboot_request=${rebootRequestPath}`,
      `state_dir=${stateDir}`,
      "reboot_and_resume() {",
      '  if [ -e "$state_dir/rebooted-into-$1" ]; then',
      '    echo "homelab-first-boot: this node rebooted once to run kernel $1, and runs $(uname -r): make $1 the default boot entry (grub) and reboot; the script runs again at boot" >&2',
      "    return 1",
      "  fi",
      '  mkdir -p "$state_dir" "${per_boot_link%/*}"',
      `  ln -sf ${firstBootPath} "$per_boot_link"`,
      '  for earlier in "$state_dir"/rebooted-into-*; do',
      '    if [ -e "$earlier" ]; then',
      '      touch "$state_dir/rebooted-into-$1"',
      '      echo "homelab-first-boot: kernel $1 arrived after this node\'s automatic reboot, and the NVIDIA modules are built for it: reboot (sudo reboot); this script continues at boot" >&2',
      "      return 1",
      "    fi",
      "  done",
      '  touch "$state_dir/rebooted-into-$1"',
      '  touch "$reboot_request"',
      "  echo \"homelab-first-boot: rebooting into kernel $1; cloud-init reboots the node when this boot's cloud-init ends, and this script continues at the next boot from cloud-init's per-boot scripts (run by hand: sudo reboot)\"",
      "  exit 0",
      "}",
    ],
  },
};

/** The helpers these script lines call, with the helpers those call. */
export function helpersUsedBy(lines: readonly string[]): Set<string> {
  const used = new Set<string>();
  const add = (name: string) => {
    if (used.has(name)) return;
    used.add(name);
    for (const dependency of helpers[name].uses ?? []) add(dependency);
  };
  for (const name of Object.keys(helpers)) if (lines.some((line) => new RegExp(`(^|[\\s;&|(])${name}(\\s|$)`).test(line))) add(name);
  return used;
}

/** The definitions of the named helpers, in a fixed order. */
export function firstBootHelpers(names: ReadonlySet<string>): string[] {
  return Object.entries(helpers)
    .filter(([name]) => names.has(name))
    .flatMap(([, helper]) => helper.lines);
}
