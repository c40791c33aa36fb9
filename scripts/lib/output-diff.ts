// What would change: a fresh synth against a committed output, grouped the way operators
// review it — per Argo CD application (object by object) and per Terraform resource — with
// unified diffs.
import { createTwoFilesPatch } from "diff";
import { parse } from "yaml";

export type ChangeKind = "added" | "removed" | "changed";

export interface Change {
  readonly kind: ChangeKind;
  /** What changed: an object file, a Terraform resource address, a file. */
  readonly name: string;
  readonly patch: string;
}

export interface DiffSection {
  readonly title: string;
  readonly changes: readonly Change[];
}

export function diffOutputs(fresh: ReadonlyMap<string, string>, committed: ReadonlyMap<string, string>): DiffSection[] {
  const sections = new Map<string, Change[]>();
  const add = (title: string, change: Change) => sections.set(title, [...(sections.get(title) ?? []), change]);
  const paths = [...new Set([...fresh.keys(), ...committed.keys()])].sort();

  for (const path of paths) {
    const before = committed.get(path);
    const after = fresh.get(path);
    if (before === after) continue;
    const stack = /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (stack) {
      for (const change of diffTerraform(before, after)) add(`Terraform stack \`${stack[1]}\``, change);
      continue;
    }
    const app = /^k8s\/([^/]+)\/(.+)$/.exec(path);
    if (app) {
      for (const c of diffObjects(before, after)) add(`Argo CD application \`${app[1]}\``, c);
      continue;
    }
    add("Other generated files", change(path, before, after));
  }
  return [...sections.entries()].map(([title, changes]) => ({ title, changes }));
}

function change(name: string, before: string | undefined, after: string | undefined): Change {
  const kind: ChangeKind = before === undefined ? "added" : after === undefined ? "removed" : "changed";
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before ?? "", after ?? "", undefined, undefined, { context: 3 });
  return { kind, name, patch: patch.split("\n").slice(2).join("\n") }; // drop the "Index/====" header
}

/** One change per Kubernetes object (kind namespace/name) of two multi-document YAML files. */
function diffObjects(before: string | undefined, after: string | undefined): Change[] {
  const objects = (text: string | undefined) => {
    const out = new Map<string, string>();
    for (const doc of (text ?? "").split(/^---\s*$/m).filter((d) => d.trim())) {
      const o = parse(doc) as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      const key = o?.kind ? `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}` : `document ${out.size + 1}`;
      out.set(key, `${doc.replace(/^\n/, "")}`);
    }
    return out;
  };
  return keyedChanges(objects(before), objects(after));
}

/** A change for every key whose text differs between two keyed collections. */
function keyedChanges(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Change[] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => change(k, a.get(k), b.get(k)));
}

/** One change per resource (type.name), variable, output or setting block. */
function diffTerraform(before: string | undefined, after: string | undefined): Change[] {
  const items = (text: string | undefined) => {
    const json = text ? (JSON.parse(text) as Record<string, any>) : {};
    const out = new Map<string, string>();
    for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, pretty(withoutMetadata(body)));
    }
    for (const block of ["variable", "output"] as const) {
      for (const [name, body] of Object.entries<unknown>(json[block] ?? {})) out.set(`${block}.${name}`, pretty(body));
    }
    for (const block of ["terraform", "provider"] as const) if (json[block]) out.set(block, pretty(json[block]));
    return out;
  };
  return keyedChanges(items(before), items(after));
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function withoutMetadata(body: unknown): unknown {
  if (!body || typeof body !== "object") return body;
  const { "//": _metadata, ...rest } = body as Record<string, unknown>;
  return rest;
}

export function renderDiff(sections: readonly DiffSection[]): string {
  if (!sections.length) return "No changes.\n";
  const count = sections.reduce((n, s) => n + s.changes.length, 0);
  const lines = [`${count} change${count === 1 ? "" : "s"}:`, ""];
  for (const section of sections) {
    lines.push(`## ${section.title}`, "");
    for (const c of section.changes) lines.push(`- **${c.kind}** ${c.name}`, "", "```diff", c.patch.trimEnd(), "```", "");
  }
  return `${lines.join("\n")}\n`;
}
