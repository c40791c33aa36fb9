// Where a problem is in the spec file: the line of the deepest part of its path that exists.
// Only on the error path: `yaml` keeps source positions, at a price a valid spec need not pay.
import { LineCounter, parseDocument, type Document } from "yaml";
import { placeholderTag } from "./spec-yaml";
import type { Problem, SpecPath } from "./problems";

/** The problems with their lines, where the document can tell them. */
export function withLines(text: string, problems: readonly Problem[]): Problem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
    customTags: [{ tag: placeholderTag, resolve: (value: string) => value }],
  });
  return problems.map((problem) => (problem.line === undefined ? withLine(problem, doc, lines) : problem));
}

function withLine(problem: Problem, doc: Document, lines: LineCounter): Problem {
  for (let depth = problem.path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(problem.path.slice(0, depth) as unknown[], true);
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
