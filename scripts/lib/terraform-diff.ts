// One change per Terraform resource (type.name), variable, output or settings block of a
// cdktf stack. A VM's user-data is shown once, under bootstrap/: the snippet resource that
// uploads it then only says where to look.
import type { Change } from "./output-diff";
import { unifiedPatch } from "./unified-patch";

type Json = Record<string, any>;

/**
 * `shownBootstrap`: the `bootstrap/<file>` paths whose diff is shown; a snippet holding one of
 * those says so instead of repeating it. Any other snippet text is diffed as text, not as one
 * escaped JSON string.
 */
export function diffTerraformStack(file: string, before: string | undefined, after: string | undefined, shownBootstrap: ReadonlySet<string>): Change[] {
  const a = blocks(before);
  const b = blocks(after);
  const side = (text: string | undefined, exists: boolean) => ({ file: exists ? file : undefined, text: text ?? "" });
  const changes: Change[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [was, now] = [a.get(name), b.get(name)];
    const [wasText, nowText] = [was && pretty(withoutData(was)), now && pretty(withoutData(now))];
    const [wasData, nowData] = [dataOf(was), dataOf(now)];
    if (wasText === nowText && wasData === nowData) continue;
    const snippet = [was, now].map((body) => body?.source_raw?.file_name).find((f): f is string => typeof f === "string");
    const shown = wasData !== nowData && snippet !== undefined && shownBootstrap.has(`bootstrap/${snippet}`);
    const patches = [
      wasText === nowText ? "" : unifiedPatch(side(wasText, before !== undefined), side(nowText, after !== undefined), name),
      wasData === nowData || shown ? "" : unifiedPatch(side(wasData, before !== undefined), side(nowData, after !== undefined), `${name} source_raw.data`),
    ];
    const kind = was === undefined ? "added" : now === undefined ? "removed" : "changed";
    changes.push({ kind, name, patch: patches.join(""), note: shown ? `content changed, see bootstrap/${snippet}` : undefined });
  }
  return changes;
}

/**
 * Resources and data sources by address, variables and outputs by name, and every other top-level
 * block whole (terraform, provider, import, check, …): nothing in the stack escapes the diff.
 */
export function blocks(text: string | undefined): Map<string, Json> {
  const json = text ? (JSON.parse(text) as Json) : {};
  const out = new Map<string, Json>();
  for (const [section, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries<Json>(json[section] ?? {})) {
      for (const [name, body] of Object.entries<Json>(byName)) out.set(`${prefix}${type}.${name}`, withoutMetadata(body));
    }
  }
  for (const block of ["variable", "output"]) {
    for (const [name, body] of Object.entries<Json>(json[block] ?? {})) out.set(`${block}.${name}`, body);
  }
  for (const [block, body] of Object.entries<Json>(json)) {
    if (!["//", "resource", "data", "variable", "output"].includes(block)) out.set(block, body);
  }
  return out;
}

const dataOf = (body: Json | undefined) => body?.source_raw?.data as string | undefined;

/** A snippet's body without the uploaded text (source_raw.data), which is compared as text. */
function withoutData(body: Json): Json {
  if (typeof body?.source_raw?.data !== "string") return body;
  const { data: _data, ...sourceRaw } = body.source_raw;
  return { ...body, source_raw: sourceRaw };
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function withoutMetadata(body: Json): Json {
  if (!body || typeof body !== "object") return body;
  const { "//": _metadata, ...rest } = body;
  return rest;
}
