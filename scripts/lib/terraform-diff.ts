// One change per Terraform resource (type.name), variable, output or settings block of a
// cdktf stack. A VM's user-data is shown once, under bootstrap/: the snippet resource that
// uploads it then only says where to look.
import { keyedChanges, patchSide, type Change, type KeyedChange } from "./diff-change";
import { unifiedPatch } from "./unified-patch";

type Json = Record<string, any>;

/**
 * `shownBootstrap`: the `bootstrap/<file>` paths whose diff is shown; a snippet holding one of
 * those says so instead of repeating it. Any other snippet text is diffed as text, not as one
 * escaped JSON string.
 */
export function diffTerraformStack(file: string, before: string | undefined, after: string | undefined, shownBootstrap: ReadonlySet<string>): Change[] {
  const from = (text: string | undefined) => patchSide(file, before !== undefined, text);
  const to = (text: string | undefined) => patchSide(file, after !== undefined, text);
  const changes: Change[] = [];
  for (const { kind, name, was, now } of changedBlocks(before, after)) {
    const [wasText, nowText] = [was && pretty(withoutData(was)), now && pretty(withoutData(now))];
    const [wasData, nowData] = [dataOf(was), dataOf(now)];
    if (wasText === nowText && wasData === nowData) continue; // only source_raw.data's place among its keys moved
    const snippet = [was, now].map((body) => body?.source_raw?.file_name).find((f): f is string => typeof f === "string");
    const shown = wasData !== nowData && snippet !== undefined && shownBootstrap.has(`bootstrap/${snippet}`);
    const patches = [
      wasText === nowText ? "" : unifiedPatch(from(wasText), to(nowText), name),
      wasData === nowData || shown ? "" : unifiedPatch(from(wasData), to(nowData), `${name} source_raw.data`),
    ];
    changes.push({ kind, name, patch: patches.join(""), note: shown ? `content changed, see bootstrap/${snippet}` : undefined });
  }
  return changes;
}

/** The blocks (see `blocks`) of a stack whose JSON differs between two versions of it, sorted by name. */
export function changedBlocks(before: string | undefined, after: string | undefined): KeyedChange<Json>[] {
  return keyedChanges(blocks(before), blocks(after), (was, now) => JSON.stringify(was) === JSON.stringify(now));
}

/**
 * Resources and data sources by address, variables and outputs by name, and every other top-level
 * block whole (terraform, provider, import, check, …): nothing in the stack escapes the diff.
 */
function blocks(text: string | undefined): Map<string, Json> {
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
