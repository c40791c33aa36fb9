// What a synth changed in its output, for the summary: files added, changed and removed, the
// Argo CD applications whose manifests changed and the Terraform resources that did.
import { join } from "node:path";
import { markerFile, readMarker } from "./output-marker";
import type { OutputOwnership } from "./output-ownership";
import { stackOf } from "./output-tree";
import { readRegular } from "./regular-files";
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

/**
 * Compares synth's files in `before` (the current output, as `ownership` sorted it: only files
 * synth wrote, which are regular files) with those in the new output `after`. Files git left in
 * conflict count as changed, without their Terraform resources (a conflicted JSON cannot be read).
 */
export function outputChanges(before: string, ownership: OutputOwnership, after: string): OutputChanges {
  const afterHashes = readMarker(after) ?? new Map<string, string | undefined>();
  const afterFiles = new Set(afterHashes.keys());
  const beforeFiles = new Set([...ownership.ours.keys()].filter((file) => file !== markerFile));
  const conflicted = new Set(ownership.regenerated);
  const read = (dir: string, file: string) => readRegular(join(dir, file))?.content.toString("utf8");
  const added = [...afterFiles].filter((f) => !beforeFiles.has(f)).sort();
  const removed = [...beforeFiles].filter((f) => !afterFiles.has(f)).sort();
  const changed = [...afterFiles].filter((f) => beforeFiles.has(f) && (conflicted.has(f) || ownership.ours.get(f) !== afterHashes.get(f))).sort();
  const applications = new Set<string>();
  const resources: string[] = [];
  for (const file of [...added, ...changed, ...removed]) {
    const app = /^k8s\/([^/]+)\//.exec(file);
    if (app) applications.add(app[1]);
    const stack = stackOf(file);
    if (stack && !conflicted.has(file)) resources.push(...resourceChanges(stack, read(before, file), read(after, file)));
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
