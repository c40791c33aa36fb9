// js-yaml spends most of its time deciding, for every key and string, whether it may be written
// plain or must be quoted (a character scan plus the implicit-type regexes), though a lab's
// objects repeat the same few hundred keys and values thousands of times. blockYaml() writes the
// block layout itself (two-space indents, `- ` items, `{}` and `[]` for empty ones) and takes
// each string's written form from js-yaml, once per distinct string: js-yaml decides every quote.
// It writes only what has one single-line form whatever its place (strings without line breaks,
// safe integers, booleans, null, plain objects and arrays) and declines anything else, which
// yamlText() then hands to js-yaml whole. A test holds it byte for byte to js-yaml on every object
// of both labs and on random documents built from YAML's traps.
import { dump, type DumpOptions } from "js-yaml";

/** js-yaml writes a mapping key whose written form is longer than this as an explicit `? key` pair. */
const maxImplicitKeyLength = 1024;
/** Distinct strings remembered; a long-running process (tests) starts over past this. */
const maxRemembered = 100_000;

class Declined extends Error {}
const declined = new Declined();

export class BlockYamlWriter {
  /** A string's single-line form as js-yaml writes it, or null where that is not one line. */
  private readonly forms = new Map<string, string | null>();

  constructor(private readonly options: DumpOptions) {}

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
      if (written.length > maxImplicitKeyLength) throw declined;
      out.push(lead, written, ":");
      lead = indent;
      const value = object[key];
      if (!isCollection(value)) out.push(" ", this.scalar(value), "\n");
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
      if (!isCollection(item)) out.push(lead, "- ", this.scalar(item), "\n");
      else if (isEmpty(item)) out.push(lead, Array.isArray(item) ? "- []\n" : "- {}\n");
      else if (Array.isArray(item)) this.sequence(item, `${lead}- `, `${indent}  `, out);
      else this.mapping(item, `${lead}- `, `${indent}  `, out);
      lead = indent;
    }
  }

  private scalar(value: unknown): string {
    if (typeof value === "string") return this.stringForm(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    if (value === null) return "null";
    if (typeof value === "number" && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    throw declined; // floats, undefined, class instances, …: js-yaml's to write (or reject)
  }

  private stringForm(text: string): string {
    let form = this.forms.get(text);
    if (form === undefined) {
      const written = dump(text, this.options);
      form = written.indexOf("\n") === written.length - 1 ? written.slice(0, -1) : null;
      if (this.forms.size >= maxRemembered) this.forms.clear();
      this.forms.set(text, form);
    }
    if (form === null) throw declined;
    return form;
  }
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
