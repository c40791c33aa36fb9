// What a synth changed in its output, for the summary: files added, changed and removed, the
// Argo CD applications whose manifests changed and the Terraform resources that did.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stackOf } from "./output-tree";
import { changedBlocks } from "./terraform-diff";

export interface OutputChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Argo CD applications (dist/k8s/<app>) with any change. */
  readonly applications: readonly string[];
  /** Terraform blocks (resources, data sources, imports, settings) as +added, ~changed, -removed <stack>/<address>. */
  readonly resources: readonly string[];
}

/** Compares synth's files in `before` (the current output, if any) with those in `after`. */
export function outputChanges(before: string, beforeFiles: ReadonlySet<string>, after: string, afterFiles: ReadonlySet<string>): OutputChanges {
  const read = (dir: string, file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined);
  const added = [...afterFiles].filter((f) => !beforeFiles.has(f)).sort();
  const removed = [...beforeFiles].filter((f) => !afterFiles.has(f)).sort();
  const changed = [...afterFiles].filter((f) => beforeFiles.has(f) && read(before, f) !== read(after, f)).sort();
  const applications = new Set<string>();
  const resources: string[] = [];
  for (const file of [...added, ...changed, ...removed]) {
    const app = /^k8s\/([^/]+)\//.exec(file);
    if (app) applications.add(app[1]);
    const stack = stackOf(file);
    if (stack) resources.push(...resourceChanges(stack, read(before, file), read(after, file)));
  }
  return { added, changed, removed, applications: [...applications].sort(), resources };
}

const sign = { added: "+", changed: "~", removed: "-" } as const;

/** +added, ~changed, -removed blocks of one stack (resources, data sources, imports…), named <stack>/<address>. */
function resourceChanges(stack: string, before: string | undefined, after: string | undefined): string[] {
  return changedBlocks(before, after).map(({ kind, name }) => `${sign[kind]}${stack}/${name}`);
}

export function formatChanges(changes: OutputChanges): string {
  const { added, changed, removed, applications, resources } = changes;
  if (!added.length && !changed.length && !removed.length) return "  no changes\n";
  const lines = [`  files: ${added.length} added, ${changed.length} changed, ${removed.length} removed`];
  if (applications.length) lines.push(`  Argo CD applications: ${applications.join(", ")}`);
  if (resources.length) lines.push(`  Terraform: ${resources.join(", ")}`);
  return `${lines.join("\n")}\n`;
}
