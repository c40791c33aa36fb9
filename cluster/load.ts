// Reads a spec file and returns a validated Cluster, or throws a SpecError listing every
// problem with its YAML path, line and fix.
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import type { z } from "zod";
import { SpecError, type Problem, type SpecPath } from "./problems";
import { partialValue, Unavailable } from "./partial-spec";
import { checkRules } from "./rules";
import { ClusterSpec, type Cluster } from "./schema";
import { withLines } from "./spec-lines";
import { readSpecYaml, type PlaceholderValue } from "./spec-yaml";

/** Specs are hand-written; anything larger is a mistake (a wrong file, a binary). */
const maxSpecBytes = 1024 * 1024;

/** A validated spec and the values it marks as placeholders. */
export interface LoadedSpec {
  readonly cluster: Cluster;
  readonly placeholders: readonly PlaceholderValue[];
  /** The spec's text and its name in messages, for problems found later (a missing sealed value). */
  readonly text: string;
  readonly file: string;
}

export function loadCluster(file: string): Cluster {
  return loadSpec(file).cluster;
}

export function loadSpec(file: string): LoadedSpec {
  const shown = displayName(file);
  return parseSpec(readSpecText(file, shown), shown);
}

/** Parses and validates spec text; `file` is only used in messages. */
export function parseCluster(text: string, file: string): Cluster {
  return parseSpec(text, file).cluster;
}

export function parseSpec(text: string, file: string): LoadedSpec {
  const { data, placeholders, prototypeKeys } = readSpecYaml(text, file);
  if (prototypeKeys.length) {
    throw new SpecError(
      file,
      withLines(
        text,
        prototypeKeys.map((path) => ({ path, message: "'__proto__' is not a field of any spec object", fix: "remove it" })),
      ),
    );
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new SpecError(file, [{ path: [], message: "the file is not a YAML mapping of the cluster spec", fix: "start from cluster/homelab.yaml" }]);
  }
  if (!Object.keys(data).some((key) => key in ClusterSpec.shape)) {
    // Not a spec at all (a wrong --cluster): say so without quoting what the file holds.
    throw new SpecError(file, [
      {
        path: [],
        message: "is not a cluster spec: none of its top-level keys is a spec section such as name, proxmox or vms",
        fix: "pass the path of a spec such as cluster/homelab.yaml to --cluster",
      },
    ]);
  }
  const parsed = ClusterSpec.safeParse(data);
  if (!parsed.success) {
    // Every problem in one round: the rules also run on the parts of the spec the schema accepted.
    const schemaProblems = parsed.error.issues.map((issue) => fromIssue(issue, data));
    throw new SpecError(file, withLines(text, [...schemaProblems, ...rulesOnValidParts(data, parsed.error.issues)]));
  }
  const problems = checkRules(parsed.data);
  if (problems.length) throw new SpecError(file, withLines(text, problems));
  return { cluster: parsed.data, placeholders, text, file };
}

/** The cross-field rules' problems in the parts of the spec the schema accepted (a rule that reads a rejected part is skipped). */
function rulesOnValidParts(data: unknown, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const invalid = issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    // An unknown key leaves the object's known fields valid.
    return issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [path];
  });
  let partial: unknown;
  try {
    partial = partialValue(ClusterSpec as never, data, invalid);
  } catch (error) {
    if (error instanceof Unavailable) return [];
    throw error;
  }
  return checkRules(partial as Cluster);
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

/** YAML reads 8.4 as a number and "8" as a string: say which way the quotes go. */
function quotingHint(expected: string, received: string | undefined): string {
  if (expected === "number") return " without quotes";
  if (expected === "string" && received === "number") return ' in quotes, e.g. "8.4.0"';
  return "";
}

function fromIssue(issue: z.core.$ZodIssue, data: unknown): Problem {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code !== "unrecognized_keys" && valueAt(data, path) === undefined) {
    const expected = issue.code === "invalid_type" ? ` (${yamlTypeName(issue.expected)})` : "";
    return { path, message: "is required", fix: `add it${expected}` };
  }
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    // A key that is no field name may be anything the file holds (a password line): not quoted.
    if (!isFieldName(key))
      return {
        path,
        message: `has ${issue.keys.length === 1 ? "an unknown key" : `${issue.keys.length} unknown keys`} that ${issue.keys.length === 1 ? "is" : "are"} no field name`,
        fix: "remove it or correct its spelling",
      };
    const more =
      issue.keys.length > 1
        ? ` (and ${issue.keys
            .slice(1)
            .map((k) => (isFieldName(k) ? `'${k}'` : "another"))
            .join(", ")})`
        : "";
    return { path: [...path, key], message: `unknown key '${key}'${more}`, fix: "remove it or correct its spelling" };
  }
  if (issue.code === "invalid_type") {
    const expected = yamlTypeName(issue.expected);
    const received = /received (\w+)/.exec(issue.message)?.[1];
    return {
      path,
      message: `must be ${expected}, not ${yamlTypeName(received ?? "other")}`,
      fix: `write ${expected}${quotingHint(issue.expected, received)}`,
    };
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    return { path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, fix: "use one of the listed values" };
  }
  return { path, message: issue.message.replace(/\.$/, "") };
}

const isFieldName = (key: string) => /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key);

function valueAt(data: unknown, path: SpecPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), data);
}

/** Names types the way a YAML author thinks of them. */
function yamlTypeName(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    boolean: "true or false",
    null: "null (empty)",
  };
  return names[type] ?? `a ${type}`;
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
