// First-boot rules of `npm run check`, over each node's user-data (bootstrap/*.user-data.yaml):
// the boot stops at the first failing step, so k3s never installs on a node whose prerequisites
// failed, and nothing it downloads or installs is single-shot. Facts behind each rule:
// - runcmd is written into one `#!/bin/sh` file, an entry a line, with no `set -e`
//   (canonical/cloud-init cloudinit/util.py shellify, noble's 24.1.3 and 26.1 uploads);
// - `packages:` is installed by cc_package_update_upgrade_install before runcmd's script runs; its
//   failure is logged and runcmd runs anyway, and it waits 30 s at most for apt's lock
//   (distros/package_management/apt.py APT_LOCK_WAIT_TIMEOUT);
// - in a pipeline, sh reports the last command's status: `curl … | sh` succeeds when the download
//   failed (POSIX sh has no pipefail, and dash has none);
// - curl retries only with --retry, and only "transient" errors unless --retry-all-errors (DNS
//   and refused connections are not transient); without --fail an HTTP error page is a success;
// - apt-get fails at once on a held dpkg lock unless DPkg::Lock::Timeout says to wait;
// - `apt-get update` fails at once on a held lists lock whatever DPkg::Lock::Timeout says: it
//   takes /var/lib/apt/lists/lock with a plain ::GetLock (apt 2.7.14 apt-pkg/update.cc:30,
//   apt-pkg/acquire.cc:179), so it must be retried (apt-daily.service holds that lock at boot).
// A command that is the condition of an `until`/`while` loop counts as retried by the script.
import { readYaml } from "../read-yaml";
import type { Finding } from "./findings";

interface CloudConfig {
  readonly packages?: unknown;
  readonly runcmd?: (string | string[] | null)[];
  readonly write_files?: { path: string; content?: string; encoding?: string }[];
}

const userDataFile = /^bootstrap\/[^/]+\.user-data\.yaml$/;
const firstBootFix = "run every step from one script with `set -eu` that runcmd starts, k3s last (infra/bootstrap/first-boot.ts)";

export function checkFirstBoot(tree: ReadonlyMap<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const [file, text] of tree) {
    if (!userDataFile.test(file)) continue;
    const config = (readYaml(text) ?? {}) as CloudConfig;
    findings.push(...checkConfig(file, config));
  }
  return findings;
}

function checkConfig(file: string, config: CloudConfig): Finding[] {
  const found: Finding[] = [];
  const add = (object: string, message: string, fix: string) => found.push({ file, object, rule: "first-boot", message, fix });
  if (config.packages !== undefined)
    add(
      "packages",
      "cloud-init installs these in its own module: a failed install is logged, runcmd runs anyway (k3s installs without them), and apt's lock is waited for 30 s only",
      "install them in the first-boot script with apt-get -o DPkg::Lock::Timeout=600, before k3s",
    );
  const runcmd = (config.runcmd ?? []).filter((c) => c !== null).map((c) => (Array.isArray(c) ? c.join(" ") : c));
  // What runs: an `sh -c '…'` entry's own script, line by line.
  const runcmdLines = (config.runcmd ?? []).flatMap((c) =>
    Array.isArray(c) && /^(ba|da)?sh$/.test(c[0]) && c[1] === "-c" ? c[2].split("\n") : c === null ? [] : [Array.isArray(c) ? c.join(" ") : c],
  );
  if (runcmd.length > 1 && !startsWithErrexit(runcmd))
    add(
      "runcmd",
      `runs ${runcmd.length} commands in cloud-init's runcmd script, which has no \`set -e\`: a failing command does not stop the ones after it`,
      firstBootFix,
    );
  const server = joinedServer(config);
  found.push(...checkLines(file, "runcmd", runcmdLines), ...checkK3sInstall(file, "runcmd", runcmdLines, server));
  for (const written of config.write_files ?? []) {
    const content = written.encoding ? "" : (written.content ?? "");
    if (!/^#!\/bin\/(ba|da)?sh\b/.test(content)) continue;
    const lines = content.split("\n");
    if (!startsWithErrexit(lines.slice(1).filter((l) => l.trim() && !l.trim().startsWith("#"))))
      add(written.path, "is a shell script that goes on after a failing command (no `set -e` before its first command)", "start it with `set -eu`");
    found.push(...checkLines(file, written.path, lines), ...checkK3sInstall(file, written.path, lines, server));
  }
  return found;
}

/** The server a node's k3s config joins (`server:` in /etc/rancher/k3s/config.yaml), if any. */
function joinedServer(config: CloudConfig): string | undefined {
  const written = (config.write_files ?? []).find((f) => f.path === "/etc/rancher/k3s/config.yaml" && !f.encoding);
  const server = (readYaml(written?.content ?? "") as { server?: unknown } | null)?.server;
  return typeof server === "string" ? server.replace(/\/+$/, "") : undefined;
}

/**
 * How k3s's install.sh is run. Its start is one `systemctl restart` under `set -e`
 * (systemd_start), of a unit with TimeoutStartSec=0 and Restart=always (k3s-io/k3s install.sh,
 * create_systemd_service_file): a join that fails once fails the boot though k3s retries on its
 * own, and an agent that never joins blocks it for ever. A joining k3s exits at once when its
 * server does not answer, so the install waits for the server's /cacerts first.
 */
function checkK3sInstall(file: string, where: string, lines: readonly string[], server: string | undefined): Finding[] {
  const found: Finding[] = [];
  let waited = false;
  lines.forEach((line, i) => {
    const code = line.trim();
    if (code.startsWith("#")) return;
    if (server && code.includes(`${server}/cacerts`)) waited = true;
    if (!/INSTALL_K3S_[A-Z_]+=|(^|[\s|;&(])(ba|da)?sh\s+\S*install\.sh\b/.test(code)) return;
    const add = (message: string, fix: string) => found.push({ file, object: `${where} line ${i + 1}`, rule: "first-boot", message, fix });
    if (!/\bINSTALL_K3S_SKIP_START=true\b/.test(code))
      add(
        "starts k3s with install.sh's single `systemctl restart`: a join that fails once fails the first boot though k3s retries by itself, and an agent that never joins blocks it for ever",
        "run install.sh with INSTALL_K3S_SKIP_START=true, then start the unit and wait for it, bounded (the first-boot script's start_unit)",
      );
    if (server && !waited)
      add(
        `installs k3s, which joins ${server}, without waiting for it: a joining k3s exits at once when its server does not answer, and the VIP answers only once the first control plane runs`,
        `wait, bounded, until ${server}/cacerts answers before install.sh (the first-boot script's wait_for_api)`,
      );
  });
  return found;
}

const startsWithErrexit = (commands: readonly string[]) => /^set\s+-[a-z]*e/.test(commands[0]?.trim() ?? "");

/** Downloads and apt-get runs in shell lines: retried, failing the script when they fail. */
function checkLines(file: string, where: string, lines: readonly string[]): Finding[] {
  const found: Finding[] = [];
  const aptGet = new Set(["apt-get", ...aptWrappers(lines)]);
  lines.forEach((line, i) => {
    const object = `${where} line ${i + 1}`;
    const add = (message: string, fix: string) => found.push({ file, object, rule: "first-boot", message, fix });
    const code = line.trim();
    if (code.startsWith("#")) return;
    for (const { words, piped, retried } of commandsOf(code)) {
      const [command] = words;
      if (aptGet.has(command) && words.includes("update") && !retried)
        add(
          "runs apt-get update once: DPkg::Lock::Timeout does not cover the lists lock it takes, so it fails at once while apt-daily refreshes the lists",
          "retry it with backoff (until apt-get update; do sleep …; done), as the first-boot script's apt_update does",
        );
      if (command === "curl" || command === "wget") {
        const url = words.find((w) => /^https?:\/\//.test(w)) ?? "a URL";
        if (piped)
          add(
            `downloads ${url} into a pipeline, whose status is its last command's: a failed download succeeds`,
            "download to a file with curl --retry, then use the file",
          );
        if (command === "wget") add(`downloads ${url} with wget`, "use curl --fail --retry 8 --retry-all-errors");
        else {
          if (!retried && (!hasFlag(words, "--retry") || !hasFlag(words, "--retry-all-errors")))
            add(`downloads ${url} once: a network hiccup at boot loses it`, "add --retry 8 --retry-all-errors (curl backs off between tries)");
          if (!hasFlag(words, "--fail") && !words.some((w) => /^-[a-zA-Z]*f[a-zA-Z]*$/.test(w)))
            add(`downloads ${url} without --fail: an HTTP error page is saved as the file and the step succeeds`, "add --fail to the curl command");
        }
      }
      if (command === "apt-get" && !words.some((w) => w.startsWith("DPkg::Lock::Timeout=")))
        add("runs apt-get, which fails at once while unattended-upgrades holds dpkg's lock", "add -o DPkg::Lock::Timeout=600");
    }
  });
  return found;
}

/** Shell functions whose body runs apt-get (`name() {` … `}`): a call to one is an apt-get. */
function aptWrappers(lines: readonly string[]): string[] {
  const wrappers: string[] = [];
  let current: string | undefined;
  for (const line of lines) {
    const start = /^\s*([A-Za-z_][A-Za-z0-9_]*)\(\)\s*\{\s*$/.exec(line);
    if (start) current = start[1];
    else if (/^\s*\}\s*$/.test(line)) current = undefined;
    else if (current && /(^|\s)apt-get\s/.test(line) && !wrappers.includes(current)) wrappers.push(current);
  }
  return wrappers;
}

/**
 * The simple commands of a line, split at ;, &&, ||, | and parentheses; `piped`: its output
 * feeds a pipe; `retried`: it is the condition of an until or while loop.
 */
function commandsOf(line: string): { words: string[]; piped: boolean; retried: boolean }[] {
  const parts = line.split(/(\|\||&&|;|\||\(|\))/);
  const commands: { words: string[]; piped: boolean; retried: boolean }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const words = parts[i]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => w.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1"));
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
    const retried = words[0] === "until" || words[0] === "while";
    if (["if", "then", "else", "!", "do", "while", "until", "exec"].includes(words[0])) words.shift();
    if (words.length) commands.push({ words, piped: parts[i + 1] === "|", retried });
  }
  return commands;
}

const hasFlag = (words: readonly string[], flag: string) => words.some((w) => w === flag || w.startsWith(`${flag}=`));
