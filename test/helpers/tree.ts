// Scratch directories and running the synth CLI the way a user does.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { root } from "./spec-fixture";

export { readTree } from "../../scripts/lib/output-tree";

/** A fresh scratch directory inside the repository (synth refuses --out outside it). */
export function scratch(name: string): string {
  const dir = join(root, ".test-out", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `npm run synth`'s command (the startup-snapshot launcher) with these arguments. */
export function synthCommand(args: string[], repo = root): [string, string[]] {
  return ["sh", [join(repo, "scripts", "synth.sh"), ...args]];
}

/** Runs `npm run synth`'s command of `repo` in `cwd`. */
export function runSynth(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root, repo = root, timeout?: number) {
  return run(synthCommand(args, repo), env, cwd, timeout);
}

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  return run([process.execPath, [join(root, "scripts", "run.cjs"), script, ...args]], env, cwd);
}

/** `timeout` (ms): kill it then (a hang fails the test instead of the suite). */
function run([command, argv]: [string, string[]], env: NodeJS.ProcessEnv, cwd: string, timeout?: number) {
  const result = spawnSync(command, argv, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
