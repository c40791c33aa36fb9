// A problem in a spec: where (a path into the YAML), what is wrong, and how to fix it.

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

/** One line per problem: "file:line: path: message. Fix: …" */
function formatProblem(file: string, problem: Problem): string {
  const where = problem.line ? `${file}:${problem.line}` : file;
  const field = problem.path.length ? `${formatPath(problem.path)}: ` : "";
  const fix = problem.fix ? ` Fix: ${problem.fix}` : "";
  return `${where}: ${field}${problem.message}.${fix}`;
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
