// Runs a generated shell script under the real sh with some commands replaced by small fakes
// (curl, apt-get, systemctl, uname …): the script's own logic runs as written, the outside world
// answers as the test says. Every fake appends its arguments to calls.log.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratch } from "./tree";

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Each fake's calls, one line each: "<command> <args>". */
  readonly calls: string[];
  readonly dir: string;
}

/**
 * `fakes`: command name → sh body run as that command ("$@" are its arguments; $FAKE_DIR is a
 * directory the fakes may keep state in). The script runs with the fakes first on PATH.
 */
export function runWithFakes(name: string, script: string, fakes: Record<string, string>): ScriptRun {
  const dir = scratch(name);
  const bin = join(dir, "bin");
  const state = join(dir, "state");
  mkdirSync(bin);
  mkdirSync(state);
  const log = join(dir, "calls.log");
  for (const [command, body] of Object.entries(fakes)) {
    const file = join(bin, command);
    writeFileSync(file, `#!/bin/sh\necho "${command} $*" >> '${log}'\n${body}\n`);
    chmodSync(file, 0o755);
  }
  writeFileSync(join(dir, "script"), script);
  const result = spawnSync("sh", [join(dir, "script")], {
    // Whatever the script writes where it stands stays in its scratch directory.
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, FAKE_DIR: state, HOME: dir },
    timeout: 20_000,
  });
  const calls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, dir };
}

/** A fake that fails its first `times` calls (exit `code`, printing `message`, if any, to stderr), then succeeds. */
export function failingFirst(times: number, code: number, message: string, counter: string): string {
  return [
    `n=$(cat "$FAKE_DIR/${counter}" 2>/dev/null || echo 0)`,
    `echo $((n + 1)) > "$FAKE_DIR/${counter}"`,
    `if [ "$n" -lt ${times} ]; then ${message ? `echo '${message}' >&2; ` : ""}exit ${code}; fi`,
  ].join("\n");
}
