// The fast way to read a spec: js-yaml, with a schema that resolves plain scalars exactly as
// `yaml`'s YAML 1.2 core schema does. js-yaml reads a large spec 5–10× faster than `yaml`, but
// has no source positions for our messages and differs from `yaml` in corners (its own int
// syntax, null and collection keys, aliases without a limit). So this path only answers for
// plain documents and returns undefined for anything else; load.ts then takes the `yaml` path,
// which also gives every diagnostic its line. test/plain-yaml.test.ts holds the two to equal
// results. The one disagreement left that we know of is a document `yaml` wrongly rejects (a
// comment line at column 0 between a key and its scalar: `a:\n#c\n  1\nb: 2`); js-yaml reads it
// as YAML says.
import { FAILSAFE_SCHEMA, load, Type, type EventType, type State } from "js-yaml";

/** What js-yaml's loader state also holds for the node just read (its typings leave them out). */
type NodeState = State & { readonly anchor: string | null; readonly tag: string | null };

/**
 * One js-yaml type per rule of `yaml`'s core schema (node_modules/yaml/dist/schema/core/), in
 * its order, with the same tests and conversions. Each gets its own tag: js-yaml keeps one type
 * per tag, and a tag no document can write tells an implicit resolution from an explicit `!!int`.
 */
const coreScalars: ReadonlyArray<[name: string, test: RegExp, construct: (text: string) => unknown]> = [
  ["null", /^(?:~|[Nn]ull|NULL)?$/, () => null],
  ["bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"],
  ["int-oct", /^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)],
  ["int", /^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
  ["int-hex", /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)],
  ["float-nan", /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) => (text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? -Infinity : Infinity)],
  ["float-exp", /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)],
  ["float", /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)],
];

const implicitTag = (name: string) => `tag:homelab.invalid,2026:core-${name}`;
const implicitTags = new Set(coreScalars.map(([name]) => implicitTag(name)));

const core12 = FAILSAFE_SCHEMA.extend({
  implicit: coreScalars.map(
    ([name, test, construct]) =>
      new Type(implicitTag(name), { kind: "scalar", resolve: (text: string | null) => test.test(text ?? ""), construct: (text: string | null) => construct(text ?? "") }),
  ),
});

/**
 * Source text the fast path declines before reading it, where the two libraries are known to
 * part (found by test/plain-yaml.test.ts and longer runs of its random search). Broad on purpose:
 * text that only looks like one of these merely takes the slow path.
 */
const declined: ReadonlyArray<[why: string, pattern: RegExp]> = [
  ["a directive: `%YAML 1.1` switches `yaml` to other scalars", /^%/m],
  ["a document marker with more than a comment on its line (`---x`, `---#`, `--- a: 1`)", /^\uFEFF?(?:---|\.\.\.)(?!\r?$|[ \t]+(?:#.*)?\r?$)/m],
  ["an explicit key (`? `): the libraries turn complex keys into different strings", /(?:^|[\s[{,])\?(?:\s|$)/m],
  ["a flow collection as a key, likewise", /[\]}]\s*:/],
  ["a flow sequence in a flow collection, which may be such a key", /[{,]\s*\[/],
  ["a block scalar's indentation indicator (`|2`): js-yaml keeps white space `yaml` drops", /[|>][+-]?[1-9]/],
  ["a tab: js-yaml also takes tabs as indentation", /\t/],
  ["a carriage return without a line feed, or NEL, LS, PS: line breaks to js-yaml only", /\r(?!\n)|[\u0085\u2028\u2029]/],
  ["a byte order mark after the start, or before indentation", /(?!^)\uFEFF|^\uFEFF\s/],
  ["a comment right after a closing quote or bracket (`'x'#`), a syntax error to `yaml`", /["'\]}]#/],
  ["a sequence entry whose dash ends its line: js-yaml takes entries not indented alike", /(?:^|\s)-[ \t]*(?:#.*)?\r?$/m],
];

/** How js-yaml spells keys it made from a null (`~:`, `{: x}`), a mapping or `[]`; `yaml` differs. */
const nonStringKeys = new Set(["null", "[object Object]", ""]);

function hasNonStringKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNonStringKey);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, child]) => nonStringKeys.has(key) || hasNonStringKey(child));
}

/** The document's mapping when it is plain YAML that both libraries read alike; else undefined. */
export function loadPlainYaml(text: string): Record<string, unknown> | undefined {
  if (declined.some(([, pattern]) => pattern.test(text))) return undefined;
  let plain = true;
  const starts: number[] = [];
  // Called as each node is begun and finished (nested, so a stack of where each began).
  const listener = (event: EventType, state: State) => {
    if (event === "open") {
      starts.push(state.position);
      return;
    }
    const { anchor, tag, input, position } = state as NodeState;
    const start = starts.pop() ?? 0;
    // Anchors (and so aliases) and explicit tags are not plain.
    if (anchor !== null || (tag !== null && tag !== "?" && !implicitTags.has(tag))) plain = false;
    // A quoted string or flow collection over several lines: js-yaml also takes continuation
    // lines that `yaml` rejects as not indented enough.
    else if (plain && spansLines(input, contentStart(input, start), position)) plain = false;
  };
  try {
    const value = load(text, { schema: core12, listener });
    const mapping = value !== null && typeof value === "object" && !Array.isArray(value);
    return plain && mapping && !hasNonStringKey(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // syntax errors, duplicate keys, unknown tags: `yaml` says where
  }
}

/** Where a node's own text begins: past the white space and comments before it. */
function contentStart(input: string, from: number): number {
  let at = from;
  for (;;) {
    while (at < input.length && (input[at] === " " || input[at] === "\n" || input[at] === "\r")) at++;
    if (input[at] !== "#") return at;
    while (at < input.length && input[at] !== "\n") at++;
  }
}

function spansLines(input: string, start: number, end: number): boolean {
  const first = input[start];
  if (first !== '"' && first !== "'" && first !== "[" && first !== "{") return false;
  const lineBreak = input.indexOf("\n", start);
  return lineBreak !== -1 && lineBreak < end;
}
