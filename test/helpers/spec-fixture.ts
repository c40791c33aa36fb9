// Spec fixtures for tests. A fixture is either a complete spec, raw text (`raw:`), or an
// overlay on the reference lab (`set:` dotted paths → values, `unset:` paths), so each
// invalid fixture shows exactly the one thing it breaks.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

export const root = resolve(__dirname, "..", "..");
/**
 * The reference lab the product's tests run on: a copy of the spec this repository ships, kept
 * under test/ because an owner replaces cluster/homelab.yaml with their own lab, and the product's
 * tests must pass whatever it says (test/own-lab.test.ts is the one suite that reads theirs).
 */
export const referenceSpec = join(root, "test", "fixtures", "reference", "homelab.yaml");
export const fixturesDir = join(root, "test", "fixtures", "spec");

export interface Fixture {
  readonly name: string;
  readonly text: string;
  readonly expect: readonly string[];
  readonly problems?: number;
  /** Values a lab of this spec has sealed beside it (`sealed:` [owner, NAME] pairs): writeLab (sealing-key.ts) seals them. */
  readonly sealed?: readonly (readonly [string, string])[];
}

type Json = Record<string, unknown> | unknown[];

export function listFixtures(kind: "valid" | "invalid"): Fixture[] {
  const dir = join(fixturesDir, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => loadFixture(join(dir, file)));
}

export function loadFixture(path: string): Fixture {
  const source = readFileSync(path, "utf8");
  const doc = parse(withoutPlaceholderTags(source)) as Record<string, unknown>;
  const name = path
    .split("/")
    .pop()!
    .replace(/\.yaml$/, "");
  const meta = {
    name,
    expect: (doc.expect as string[] | undefined) ?? [],
    problems: doc.problems as number | undefined,
    sealed: doc.sealed as [string, string][] | undefined,
  };
  if (typeof doc.raw === "string") return { ...meta, text: doc.raw };
  if (!("set" in doc) && !("unset" in doc)) return { ...meta, text: source };
  return { ...meta, text: overlayReference((doc.set as Record<string, unknown>) ?? {}, (doc.unset as string[]) ?? []) };
}

/** The reference spec with values set and paths removed (highest array index first). */
export function overlayReference(set: Record<string, unknown>, unset: readonly string[] = []): string {
  const spec = parse(withoutPlaceholderTags(readFileSync(referenceSpec, "utf8"))) as Json;
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split(".");
    const parent = walk(spec, keys.slice(0, -1), true);
    (parent as Record<string, unknown>)[keys[keys.length - 1]] = value;
  }
  const byIndexDescending = [...unset].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const path of byIndexDescending) {
    const keys = path.split(".");
    const parent = walk(spec, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Record<string, unknown>)[last];
  }
  return stringify(spec);
}

function walk(spec: Json, keys: readonly string[], create = false): Json {
  return keys.reduce<Json>((node, key) => {
    if (create && !Array.isArray(node) && node[key] === undefined) node[key] = {};
    const next = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next === undefined || next === null || typeof next !== "object") throw new Error(`fixture path ${keys.join(".")} does not exist at '${key}'`);
    return next as Json;
  }, spec);
}

/** `yaml` does not know our `!placeholder` tag; overlays and fixture metadata need only the values. */
function withoutPlaceholderTags(text: string): string {
  return text.replace(/!placeholder /g, "");
}
