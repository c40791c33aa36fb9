// A problem in a spec: where (a path into the YAML), what is wrong, and how to fix it.
import { knownSecrets } from "./known-secret-formats";
import { looksRandom } from "./secret-looking";

export type SpecPath = readonly (string | number)[];

export interface Problem {
  readonly path: SpecPath;
  readonly message: string;
  readonly fix?: string;
  /** 1-based line in the spec file, when known. */
  readonly line?: number;
}

/** Renders a path the way a person reads YAML: vms[3].ip */
export function formatPath(path: SpecPath): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, "");
}

/** One line per problem: "file:line: path: message. Fix: …", with anything that looks like a credential cut out. */
function formatProblem(file: string, problem: Problem): string {
  const where = problem.line ? `${file}:${problem.line}` : file;
  const field = problem.path.length ? `${formatPath(problem.path)}: ` : "";
  const fix = problem.fix ? ` Fix: ${problem.fix}` : "";
  return redacted(`${where}: ${field}${problem.message}.${fix}`);
}

/**
 * A message that quotes the spec (a value, a key, a YAML tag or alias) may quote a credential
 * pasted there by mistake; it must not repeat it on the terminal or in a CI log. Known formats
 * and long random-looking words (upper and lower case and digits) are replaced by <redacted>.
 */
export function redacted(text: string): string {
  let out = text;
  for (const found of knownSecrets(text).reverse()) out = `${out.slice(0, found.offset)}<redacted>${out.slice(found.end)}`;
  return out.replace(/[A-Za-z0-9+/=_-]{20,}/g, (word) => (/[a-z]/.test(word) && /[A-Z]/.test(word) && looksRandom(word) ? "<redacted>" : word));
}

/** Thrown when a spec is invalid; carries every problem found, not just the first. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join("\n"));
    this.name = "SpecError";
  }
}
