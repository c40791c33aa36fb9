// Reads a spec file and returns a validated Cluster, or throws a SpecError listing every
// problem with its YAML path, line and fix.
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { SpecError, type Problem, type SpecPath } from "./problems";
import { checkRules } from "./rules";
import { ClusterSpec, type Cluster } from "./schema";

/** Specs are hand-written; anything larger is a mistake (a wrong file, a binary). */
const maxSpecBytes = 1024 * 1024;

export function loadCluster(file: string): Cluster {
  const shown = displayName(file);
  return parseCluster(readSpecText(file, shown), shown);
}

/**
 * Parses and validates spec text through `yaml` with source positions, so every problem is
 * reported with its line; `file` is only used in messages.
 */
export function parseCluster(text: string, file: string): Cluster {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new SpecError(
      file,
      doc.errors.map((e) => ({ path: [], message: `YAML syntax: ${e.message.split("\n")[0]}`, line: lines.linePos(e.pos[0]).line, fix: "correct the YAML at that line" })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new SpecError(file, [{ path: [], message: "the file is not a YAML mapping of the cluster spec", fix: "start from cluster/homelab.yaml" }]);
  }
  const parsed = ClusterSpec.safeParse(data);
  if (!parsed.success) {
    throw new SpecError(file, parsed.error.issues.map((issue) => withLine(fromIssue(issue, data), doc, lines)));
  }
  const problems = checkRules(parsed.data);
  if (problems.length) throw new SpecError(file, problems.map((p) => withLine(p, doc, lines)));
  return parsed.data;
}

function readSpecText(file: string, shown: string): string {
  const fail = (message: string, fix: string): never => {
    throw new SpecError(shown, [{ path: [], message, fix }]);
  };
  let size = 0;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) fail("is not a file", "pass the path of a spec such as cluster/homelab.yaml to --cluster");
    size = stat.size;
  } catch (e) {
    if (e instanceof SpecError) throw e;
    fail("cannot be read (no such file or no permission)", "pass the path of a spec such as cluster/homelab.yaml to --cluster");
  }
  if (size === 0) fail("is empty", "start from a copy of cluster/homelab.yaml");
  if (size > maxSpecBytes) fail(`is ${size} bytes; a spec is at most ${maxSpecBytes} bytes`, "check that --cluster names the spec and not another file");
  const bytes = readFileSync(file);
  if (bytes.includes(0)) fail("is a binary file, not YAML", "pass the YAML spec to --cluster");
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD")) fail("is not valid UTF-8", "save the spec as UTF-8");
  return text;
}

function fromIssue(issue: z.core.$ZodIssue, data: unknown): Problem {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code !== "unrecognized_keys" && valueAt(data, path) === undefined) {
    const expected = issue.code === "invalid_type" ? ` (${yamlTypeName(issue.expected)})` : "";
    return { path, message: "is required", fix: `add it${expected}` };
  }
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const more = issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).map((k) => `'${k}'`).join(", ")})` : "";
    return { path: [...path, key], message: `unknown key '${key}'${more}`, fix: "remove it or correct its spelling" };
  }
  if (issue.code === "invalid_type") {
    const expected = yamlTypeName(issue.expected);
    const received = /received (\w+)/.exec(issue.message)?.[1];
    return { path, message: `must be ${expected}, not ${yamlTypeName(received ?? "other")}`, fix: `write ${expected}${issue.expected === "number" ? " without quotes" : ""}` };
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, fix: "use one of the listed values" };
  }
  return { path, message: issue.message.replace(/\.$/, "") };
}

function valueAt(data: unknown, path: SpecPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), data);
}

/** Names types the way a YAML author thinks of them. */
function yamlTypeName(type: string): string {
  const names: Record<string, string> = { object: "a mapping", array: "a list", string: "a string", number: "a number", boolean: "true or false", null: "null (empty)" };
  return names[type] ?? `a ${type}`;
}

/** Adds the line of the deepest part of the path that exists in the document. */
function withLine(problem: Problem, doc: Document, lines: LineCounter): Problem {
  for (let depth = problem.path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(problem.path.slice(0, depth) as SpecPath as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a missing key, point at its parent; for an unknown key, at the key itself.
      const keyLine = depth === problem.path.length ? keyLineOf(doc, problem.path, lines) : undefined;
      return { ...problem, line: keyLine ?? lines.linePos(range[0]).line };
    }
  }
  return problem;
}

function keyLineOf(doc: Document, path: SpecPath, lines: LineCounter): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
  const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items;
  const pair = items?.find((item) => item.key?.value === path[path.length - 1]);
  return pair?.key?.range ? lines.linePos(pair.key.range[0]).line : undefined;
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
