// What a synth changed in its output, for the summary: files added, changed and removed, the
// Argo CD applications whose manifests changed and the Terraform resources that did.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface OutputChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Argo CD applications (dist/k8s/<app>) with any change. */
  readonly applications: readonly string[];
  /** Terraform resources and data sources, as +added, ~changed, -removed addresses. */
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
    if (/^terraform\/stacks\/[^/]+\/cdk\.tf\.json$/.test(file)) resources.push(...resourceChanges(read(before, file), read(after, file)));
  }
  return { added, changed, removed, applications: [...applications].sort(), resources };
}

function resourceChanges(before: string | undefined, after: string | undefined): string[] {
  const blocks = (text: string | undefined) => {
    const stack = text ? JSON.parse(text) : {};
    const all = new Map<string, string>();
    for (const [prefix, section] of [
      ["", stack.resource],
      ["data.", stack.data],
    ] as const) {
      for (const [type, byName] of Object.entries<Record<string, unknown>>(section ?? {})) {
        for (const [name, body] of Object.entries(byName)) all.set(`${prefix}${type}.${name}`, JSON.stringify(body));
      }
    }
    return all;
  };
  const [old, now] = [blocks(before), blocks(after)];
  const addresses = [...new Set([...old.keys(), ...now.keys()])].sort();
  return addresses.flatMap((a) => (!old.has(a) ? [`+${a}`] : !now.has(a) ? [`-${a}`] : old.get(a) !== now.get(a) ? [`~${a}`] : []));
}

export function formatChanges(changes: OutputChanges): string {
  const { added, changed, removed, applications, resources } = changes;
  if (!added.length && !changed.length && !removed.length) return "  no changes\n";
  const lines = [`  files: ${added.length} added, ${changed.length} changed, ${removed.length} removed`];
  if (applications.length) lines.push(`  Argo CD applications: ${applications.join(", ")}`);
  if (resources.length) lines.push(`  Terraform resources: ${resources.join(", ")}`);
  return `${lines.join("\n")}\n`;
}
