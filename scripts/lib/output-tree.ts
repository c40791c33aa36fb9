// Reading a synthesized output tree as relative path → content, for comparisons.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Left in stack directories by `terraform init`; synth carries them over but never writes them. */
export const terraformWorkFiles = [".terraform", ".terraform.lock.hcl"] as const;
export const isTerraformWorkFile = (path: string) => path.split("/").some((part) => (terraformWorkFiles as readonly string[]).includes(part));

export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  if (!existsSync(dir)) return tree;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/");
    if (isTerraformWorkFile(path)) continue;
    tree.set(path, readFileSync(join(dir, path), "utf8"));
  }
  return new Map([...tree.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Paths that differ between two trees: added, removed or changed. */
export function changedPaths(fresh: ReadonlyMap<string, string>, committed: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...fresh.keys(), ...committed.keys()]);
  return [...paths].filter((p) => fresh.get(p) !== committed.get(p)).sort();
}
