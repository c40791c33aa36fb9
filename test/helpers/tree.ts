// Reading whole output trees, and running the synth CLI the way a user does.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./spec-fixture";

/** Every file under dir, by relative path, with its bytes. */
export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  if (!existsSync(dir)) return tree;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    // `terraform init` leaves these in the stack directory; synth carries them over, never writes them.
    if (/(^|\/)(\.terraform\/|\.terraform\.lock\.hcl$)/.test(relative(dir, path))) continue;
    tree.set(relative(dir, path), readFileSync(path, "utf8"));
  }
  return new Map([...tree.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** A fresh scratch directory inside the repository (synth refuses --out outside it). */
export function scratch(name: string): string {
  const dir = join(root, ".test-out", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function runSynth(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const result = spawnSync(process.execPath, [join(root, "scripts", "run.cjs"), "scripts/synth.ts", ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
