// Scratch directories and running the synth CLI the way a user does.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { referenceSpec, root } from "./spec-fixture";

export { readTree } from "../../scripts/lib/output-tree";

/**
 * The reference lab's output, synthesized once before the suites run (test/global-setup.cjs).
 * Read it; never write to it (copy it into a scratch directory first).
 */
// Beside dist/, as deep, so the relative state paths in its stacks are the ones dist/ would have.
export const referenceOutput = join(root, ".test-dist-reference");

/** `<scratch>/dist`: a copy of the reference lab's output to change (cheaper than a synth). */
export function referenceCopy(name: string): string {
  const out = join(scratch(name), "dist");
  cpSync(referenceOutput, out, { recursive: true });
  return out;
}

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

/**
 * Runs `npm run synth`'s command of `repo` in `cwd`. In this repository it reads the reference lab
 * unless the arguments name a spec (cluster/homelab.yaml is the owner's lab, not the product's fixture).
 * `timeout` (ms): kill it then (a hang fails the test instead of the suite).
 */
export function runSynth(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root, repo = root, timeout?: number) {
  return run(synthCommand(repo === root ? onReferenceLab(args) : args, repo), env, cwd, timeout);
}

/** Runs a command's entry point (scripts/*.ts) in `cwd`; synth and check read the reference lab unless told otherwise. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const onReference = script === "scripts/check.ts" || script === "scripts/synth.ts";
  return run([process.execPath, [join(root, "scripts", "run.cjs"), script, ...(onReference ? onReferenceLab(args) : args)]], env, cwd);
}

const onReferenceLab = (args: string[]) => (args.includes("--cluster") || args.includes("--help") ? args : ["--cluster", referenceSpec, ...args]);

function run([command, argv]: [string, string[]], env: NodeJS.ProcessEnv, cwd: string, timeout?: number) {
  const result = spawnSync(command, argv, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
