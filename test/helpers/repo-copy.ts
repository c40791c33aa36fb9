// A copy of this repository that commands can run in as a user's clone: the sources, generated
// bindings and docs, the reference lab as its spec, and the installed packages linked (npm's
// record of the installed tree, node_modules/.package-lock.json, is a copy a test can touch).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { referenceSpec, root } from "./spec-fixture";

export function repositoryCopy(prefix: string, spec = referenceSpec): string {
  const copy = mkdtempSync(join(tmpdir(), `${prefix}-`));
  for (const folder of ["cluster", "infra", "charts", "lib", "imports", "scripts", "docs", ".githooks"])
    cpSync(join(root, folder), join(copy, folder), { recursive: true });
  for (const file of ["package.json", "README.md", ".gitignore"]) cpSync(join(root, file), join(copy, file));
  cpSync(spec, join(copy, "cluster", "homelab.yaml")); // the reference lab, whatever this repository's own is
  mkdirSync(join(copy, "node_modules"));
  for (const entry of readdirSync(join(root, "node_modules"))) {
    if (entry === ".package-lock.json") cpSync(join(root, "node_modules", entry), join(copy, "node_modules", entry));
    else symlinkSync(join(root, "node_modules", entry), join(copy, "node_modules", entry));
  }
  return copy;
}
