// js-yaml spends most of its time deciding, for every key and string, whether it may be written
// plain or must be quoted (a character scan plus the implicit-type regexes), though a lab's
// objects repeat the same few hundred keys and values thousands of times. BlockYamlWriter writes
// the block layout itself (two-space indents, `- ` items, `{}` and `[]` for empty ones) and takes
// each string's written form from js-yaml, once per distinct string: js-yaml decides every quote
// and every literal block. It writes plain objects and arrays of strings, safe integers, booleans
// and null, and declines anything else, which yamlText() then hands to js-yaml whole. A test holds
// it byte for byte to js-yaml on every object of both labs and on random documents built from
// YAML's traps.
import { dump, type DumpOptions } from "js-yaml";

/** js-yaml writes a mapping key whose written form is longer than this as an explicit `? key` pair. */
const maxImplicitKeyLength = 1024;
/** Distinct strings remembered; a long-running process (tests) starts over past this. */
const maxRemembered = 100_000;

class Declined extends Error {}
const declined = new Declined();

/**
 * How js-yaml writes a string: on one line, or as a literal block (`|`, `|-`, `|+`, maybe with
 * an indentation indicator) whose lines it indents two spaces deeper than the line it starts on.
 */
type StringForm = string | { readonly header: string; readonly lines: readonly string[] };

export class BlockYamlWriter {
  /** Each string's form, as js-yaml writes it alone (a literal block then indented by two). */
  private readonly forms = new Map<string, StringForm>();

  /** Options js-yaml would write with; the layout here is its default block layout. */
  constructor(private readonly options: DumpOptions) {
    const { indent = 2, flowLevel = -1, lineWidth, noRefs, sortKeys, noArrayIndent, replacer, skipInvalid, styles } = options;
    const layoutChanged = indent !== 2 || flowLevel !== -1 || sortKeys || noArrayIndent || replacer || skipInvalid || styles;
    // Folding (any lineWidth but -1) and anchors for repeated objects (noRefs off) are js-yaml's alone.
    if (layoutChanged || lineWidth !== -1 || noRefs !== true)
      throw new Error("internal: BlockYamlWriter writes js-yaml's default block layout, with lineWidth -1 and noRefs");
  }

  /** The YAML js-yaml writes for this value with these options, or undefined where it declines. */
  write(value: unknown): string | undefined {
    const out: string[] = [];
    try {
      if (!isCollection(value)) return undefined;
      if (isEmpty(value)) return Array.isArray(value) ? "[]\n" : "{}\n";
      if (Array.isArray(value)) this.sequence(value, "", "", out);
      else this.mapping(value, "", "", out);
    } catch (error) {
      if (error === declined) return undefined;
      throw error;
    }
    return out.join("");
  }

  /** Entries, the first after `lead` (the line so far), the others after `indent`. */
  private mapping(object: Record<string, unknown>, lead: string, indent: string, out: string[]): void {
    for (const key of Object.keys(object)) {
      const written = this.stringForm(key);
      if (typeof written !== "string" || written.length > maxImplicitKeyLength) throw declined;
      out.push(lead, written, ":");
      lead = indent;
      const value = object[key];
      if (!isCollection(value)) this.scalar(value, " ", indent, out);
      else if (isEmpty(value)) out.push(Array.isArray(value) ? " []\n" : " {}\n");
      else if (Array.isArray(value)) this.sequence(value, `\n${indent}  `, `${indent}  `, out);
      else this.mapping(value, `\n${indent}  `, `${indent}  `, out);
    }
  }

  /** Items, the first after `lead`, the others after `indent`; nested items go on the same line. */
  private sequence(items: readonly unknown[], lead: string, indent: string, out: string[]): void {
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) throw declined; // a hole: js-yaml's own error
      const item = items[i];
      if (!isCollection(item)) this.scalar(item, `${lead}- `, indent, out);
      else if (isEmpty(item)) out.push(lead, Array.isArray(item) ? "- []\n" : "- {}\n");
      else if (Array.isArray(item)) this.sequence(item, `${lead}- `, `${indent}  `, out);
      else this.mapping(item, `${lead}- `, `${indent}  `, out);
      lead = indent;
    }
  }

  /** A scalar after `lead`, on a line indented by `indent`; a literal block's lines go two deeper. */
  private scalar(value: unknown, lead: string, indent: string, out: string[]): void {
    if (typeof value === "string") {
      const form = this.stringForm(value);
      if (typeof form === "string") out.push(lead, form, "\n");
      else {
        out.push(lead, form.header, "\n");
        for (const line of form.lines) out.push(line && `${indent}  ${line}`, "\n");
      }
    } else if (typeof value === "boolean") out.push(lead, value ? "true" : "false", "\n");
    else if (value === null) out.push(lead, "null\n");
    else if (typeof value === "number" && Number.isSafeInteger(value) && !Object.is(value, -0)) out.push(lead, String(value), "\n");
    else throw declined; // floats, undefined, class instances, …: js-yaml's to write (or reject)
  }

  private stringForm(text: string): StringForm {
    let form = this.forms.get(text);
    if (form === undefined) {
      form = formOf(dump(text, this.options));
      if (this.forms.size >= maxRemembered) this.forms.clear();
      this.forms.set(text, form);
    }
    return form;
  }
}

/** A string's form from js-yaml's text for it alone (which ends with a line break). */
function formOf(written: string): StringForm {
  const lines = written.slice(0, -1).split("\n");
  if (lines.length === 1) return lines[0];
  // A literal block at the top level: its lines indented by two, empty lines left empty.
  const [header, ...body] = lines;
  if (!header.startsWith("|") || body.some((line) => line !== "" && !line.startsWith("  ")))
    throw new Error(`internal: unexpected js-yaml form ${JSON.stringify(written)}`);
  return { header, lines: body.map((line) => line.slice(2)) };
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype) throw declined; // a Date, a class instance, a null-prototype object
  return true;
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}
