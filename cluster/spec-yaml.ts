// Reads spec text into plain data. js-yaml is the one reader of values, with the scalars of the
// YAML 1.2 core schema (as `yaml` resolves them: no `1_000`, `0b1` or `0777` octal, unlike
// js-yaml's own default) and one tag of ours, `!placeholder`, which marks a value the operator
// still has to read off their host. A spec is a small hand-written file, so anything that could
// make reading it explode (deep nesting, aliases that multiply) is refused before it can.
// Syntax errors name the line and the reason, never the file's content.
import { FAILSAFE_SCHEMA, load, Type, YAMLException, type EventType, type State } from "js-yaml";
import { SpecError, type SpecPath } from "./problems";

/** Nesting deeper than this is no spec (ours is 5 deep); stops recursion before the stack ends. */
const maxDepth = 64;
/** Values a spec may expand to through aliases (the large benchmark lab has ~20,000). */
const maxExpandedValues = 200_000;

/** The tag that marks a value as a placeholder: `iommuGroup: !placeholder 40`. */
export const placeholderTag = "!placeholder";
/** A string holding this token is a placeholder too (e.g. an SSH key comment `replace-me@homelab`). */
const placeholderToken = "replace-me";

/** A value the operator still has to replace: its path and, when known, its line. */
export interface PlaceholderValue {
  readonly path: SpecPath;
  readonly line?: number;
}

/** A spec's data, its placeholders, and the paths of keys no spec may use. */
export interface SpecData {
  readonly data: unknown;
  /** Values tagged `!placeholder`, and strings holding the token `replace-me`. */
  readonly placeholders: readonly PlaceholderValue[];
  /** `__proto__` keys: kept as keys here, but a JavaScript object would drop them silently. */
  readonly prototypeKeys: readonly SpecPath[];
}

/** One rule of `yaml`'s core schema each (node_modules/yaml/dist/schema/core/), in its order. */
const coreScalars: ReadonlyArray<[name: string, test: RegExp, construct: (text: string) => unknown]> = [
  ["null", /^(?:~|[Nn]ull|NULL)?$/, () => null],
  ["bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"],
  ["int-oct", /^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)],
  ["int", /^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
  ["int-hex", /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)],
  [
    "float-nan",
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (text) => (text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? -Infinity : Infinity),
  ],
  ["float-exp", /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)],
  ["float", /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)],
];

/** A plain scalar's value under the core schema. */
function resolveScalar(text: string): unknown {
  const rule = coreScalars.find(([, test]) => test.test(text));
  return rule ? rule[2](text) : text;
}

/** What `!placeholder` reads as until the walk below unwraps it. */
class Placeholder {
  /** Set when the scalar was quoted: then it is that string, whatever it looks like. */
  quoted = false;
  constructor(readonly text: string) {}

  get value(): unknown {
    return this.quoted ? this.text : resolveScalar(this.text);
  }
}

const specSchema = FAILSAFE_SCHEMA.extend({
  implicit: coreScalars.map(
    ([name, test, construct]) =>
      new Type(`tag:homelab.invalid,2026:core-${name}`, {
        kind: "scalar",
        resolve: (text: string | null) => test.test(text ?? ""),
        construct: (text: string | null) => construct(text ?? ""),
      }),
  ),
  explicit: [new Type(placeholderTag, { kind: "scalar", construct: (text: string | null) => new Placeholder(text ?? "") })],
});

export function readSpecYaml(text: string, file: string): SpecData {
  const fail = (line: number | undefined, message: string, fix: string): never => {
    throw new SpecError(file, [{ path: [], line, message, fix }]);
  };
  let depth = 0;
  // Lines of the placeholder scalars, in document order (the walk below meets them in that order).
  const lines: number[] = [];
  let lastClosed = -1; // js-yaml closes a block sequence's entry twice, at the same position
  const opened: number[] = [];
  const listener = (event: EventType, state: State) => {
    if (event === "open") opened.push(state.position);
    const start = event === "close" ? (opened.pop() ?? 0) : 0;
    if (event === "close" && isPlaceholder(state.result) && state.position !== lastClosed) {
      lines.push(state.line + 1);
      lastClosed = state.position;
      // The tag's constructor gets the text without its quotes: tell it whether there were any.
      if (state.result instanceof Placeholder) state.result.quoted = /^\s*!placeholder\s+["']/.test(text.slice(start, state.position));
    }
    depth += event === "open" ? 1 : -1;
    if (depth > maxDepth) fail(state.line + 1, `nesting is deeper than ${maxDepth} levels`, "a spec is a few levels deep; check the indentation or brackets");
  };
  let data: unknown;
  try {
    data = load(text, { schema: specSchema, listener });
  } catch (error) {
    if (error instanceof SpecError) throw error;
    if (!(error instanceof YAMLException)) throw error;
    // reason only: the message would quote the file's lines, which may not be a spec at all.
    fail(error.mark ? error.mark.line + 1 : undefined, `YAML syntax: ${error.reason}`, "correct the YAML at that line");
  }
  const expanded = countValues(data);
  if (expanded > maxExpandedValues)
    fail(
      undefined,
      `aliases expand the document to more than ${maxExpandedValues} values`,
      "write the values out instead of nesting aliases (*name) of aliases",
    );
  const found: Found = { placeholders: [], prototypeKeys: [] };
  const unwrapped = unwrapPlaceholders(data, [], found);
  // A key holding the token, or an alias, would shift the lines: then give none rather than wrong ones.
  const placeholders = found.placeholders.map((path, i) => (lines.length === found.placeholders.length ? { path, line: lines[i] } : { path }));
  return { data: unwrapped, placeholders, prototypeKeys: found.prototypeKeys };
}

/** Values in the document with every alias expanded, counted once per distinct object. */
function countValues(root: unknown): number {
  const sizes = new Map<object, number>();
  const size = (value: unknown): number => {
    if (value === null || typeof value !== "object") return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    sizes.set(value, 1); // a cycle counts once
    let total = 1;
    for (const child of Object.values(value)) total = Math.min(total + size(child), maxExpandedValues + 1);
    sizes.set(value, total);
    return total;
  };
  return size(root);
}

interface Found {
  placeholders: SpecPath[];
  prototypeKeys: SpecPath[];
}

function isPlaceholder(value: unknown): boolean {
  return value instanceof Placeholder || (typeof value === "string" && value.includes(placeholderToken));
}

function unwrapPlaceholders(value: unknown, path: (string | number)[], found: Found): unknown {
  if (isPlaceholder(value)) found.placeholders.push([...path]);
  if (value instanceof Placeholder) return value.value;
  if (Array.isArray(value)) return value.map((item, i) => unwrapPlaceholders(item, [...path, i], found));
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "__proto__") found.prototypeKeys.push([...path, key]);
    // defineProperty: a key named __proto__ stays a key (and an unknown one to the schema).
    Object.defineProperty(result, key, { value: unwrapPlaceholders(child, [...path, key], found), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
