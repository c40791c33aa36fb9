// One change per Kubernetes object (kind namespace/name) between two versions of a
// multi-document YAML file, each hunk numbered by its line in the file.
import { parse } from "yaml";
import { keyedChanges, patchSide, type Change } from "./diff-change";
import { unifiedPatch } from "./unified-patch";

interface ObjectText {
  readonly text: string;
  /** The file line the object starts at. */
  readonly firstLine: number;
}

export function diffManifest(file: string, before: string | undefined, after: string | undefined): Change[] {
  return keyedChanges(objects(before), objects(after), (was, now) => was.text === now.text).map(({ kind, name, was, now }) => {
    const patch = unifiedPatch(
      patchSide(file, before !== undefined, was?.text, was?.firstLine),
      patchSide(file, after !== undefined, now?.text, now?.firstLine),
      name,
    );
    return { kind, name, patch };
  });
}

/** The documents of a YAML stream by object name, with the line each starts at. */
function objects(text: string | undefined): Map<string, ObjectText> {
  const out = new Map<string, ObjectText>();
  if (text === undefined) return out;
  const lines = text.split("\n");
  let start = 0;
  const flush = (end: number) => {
    const body = lines.slice(start, end).join("\n");
    if (body.trim()) out.set(objectName(body, out.size), { text: `${body.replace(/\n*$/, "")}\n`, firstLine: start + 1 });
  };
  lines.forEach((line, i) => {
    if (!/^---\s*$/.test(line)) return;
    flush(i);
    start = i + 1;
  });
  flush(lines.length);
  return out;
}

interface Named {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

function objectName(doc: string, index: number): string {
  const o = parsed(doc);
  return o?.kind ? `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}` : `document ${index + 1}`;
}

function parsed(doc: string): Named | null {
  try {
    return parse(doc) as Named | null;
  } catch {
    return null; // not YAML we can read (a hand edit): compared as text, by position
  }
}
