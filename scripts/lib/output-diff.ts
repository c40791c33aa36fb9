// What changed between two versions of the synthesized output, grouped the way operators
// review it: per Argo CD application (object by object), per Terraform resource, the VMs'
// user-data, and other files — as unified diffs with git's headers.
import { changeKind, keyedChanges, patchSide, type Change } from "./diff-change";
import { diffManifest } from "./manifest-diff";
import { markerFile } from "./output-marker";
import { stackOf } from "./output-tree";
import { diffTerraformStack } from "./terraform-diff";
import { unifiedPatch } from "./unified-patch";

export interface DiffSection {
  readonly title: string;
  readonly changes: readonly Change[];
}

/**
 * Sections of changes from `committed` to `fresh` (path → text, paths relative to the output
 * folder). Paths present in neither or equal in both are no change, so callers may pass only
 * the paths that differ.
 */
export function diffOutputs(fresh: ReadonlyMap<string, string>, committed: ReadonlyMap<string, string>): DiffSection[] {
  const sections = new Map<string, Change[]>();
  const add = (title: string, changes: Change[]) => changes.length && sections.set(title, [...(sections.get(title) ?? []), ...changes]);
  // The marker lists synth's files: what it says, the diff shows file by file.
  const files = keyedChanges(committed, fresh, (was, now) => was === now).filter((file) => file.name !== markerFile);
  const shownBootstrap = new Set(files.map((file) => file.name).filter((p) => p.startsWith("bootstrap/")));

  for (const { name: path, was: before, now: after } of files) {
    const stack = stackOf(path);
    const app = /^k8s\/([^/]+)\/.+\.ya?ml$/.exec(path);
    if (stack) add(`Terraform stack \`${stack}\``, diffTerraformStack(path, before, after, shownBootstrap));
    else if (app) add(`Argo CD application \`${app[1]}\``, diffManifest(path, before, after));
    else if (path.startsWith("bootstrap/")) add("VM user-data (cloud-init)", [fileChange(path, before, after)]);
    else add("Other generated files", [fileChange(path, before, after)]);
  }
  return [...sections.entries()].map(([title, changes]) => ({ title, changes }));
}

function fileChange(path: string, before: string | undefined, after: string | undefined): Change {
  const patch = unifiedPatch(patchSide(path, before !== undefined, before), patchSide(path, after !== undefined, after));
  return { kind: changeKind(before, after), name: path, patch };
}

/** Markdown (GitHub renders it in a job summary): a heading per section, a bullet and a diff block per change. */
export function renderDiff(sections: readonly DiffSection[], what = "dist/"): string {
  if (!sections.length) return `No changes in ${what}.\n`;
  const count = sections.reduce((n, s) => n + s.changes.length, 0);
  const lines = [`${count} change${count === 1 ? "" : "s"} in ${what}:`, ""];
  for (const section of sections) {
    lines.push(`## ${section.title}`, "");
    for (const c of section.changes) {
      lines.push(`- **${c.kind}** ${c.name}${c.note ? `: ${c.note}` : ""}`, "");
      if (c.patch) lines.push("```diff", c.patch.trimEnd(), "```", "");
    }
  }
  return `${lines.join("\n")}\n`;
}
