// The fast spec reader (js-yaml, cluster/plain-yaml.ts) must answer exactly as the full path
// (`yaml`, cluster/load.ts) would, or not at all.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { dump } from "js-yaml";
import { parseDocument, stringify } from "yaml";
import { yamlText } from "../charts/yaml-text";
import { parseCluster } from "../cluster/load";
import { loadPlainYaml } from "../cluster/plain-yaml";
import { largeLab } from "../scripts/lib/large-lab";
import { listFixtures, referenceSpec } from "./helpers/spec-fixture";

/**
 * Fixed seeds keep CI repeatable; HOMELAB_FUZZ_RUNS=<n> searches n times longer, from random
 * seeds (fast-check prints the seed of any failure).
 */
const fuzzRuns = Number(process.env.HOMELAB_FUZZ_RUNS ?? 0);
const search = (numRuns: number, seed: number) => (fuzzRuns > 0 ? { numRuns: numRuns * fuzzRuns } : { numRuns, seed });

/** What the full path reads: `yaml` with load.ts's options; undefined where it reports an error. */
function fullPath(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  return doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
}

/**
 * The fast path either declines (undefined) or agrees with the full path, -0 and NaN included.
 * One known exception: `yaml` 2.8 rejects a comment line between a key and its scalar value
 * (`a: #x\n#y\n  1\nb: 2` "needs implicit keys on a single line"), which YAML allows and js-yaml
 * reads right; there the fast path must read what `yaml` reads without those comment lines.
 */
function expectAgreement(text: string): void {
  const fast = loadPlainYaml(text);
  if (fast === undefined) return;
  const full = fullPath(text) ?? fullPath(text.replace(/^[ ]*#.*\n/gm, "").replace(/: +#.*$/gm, ":"));
  expect({ text, value: fast }).toStrictEqual({ text, value: full });
}

describe("the fast spec reader", () => {
  const reference = readFileSync(referenceSpec, "utf8");
  const specs: Array<[string, string]> = [
    ["the reference lab", reference],
    ["the generated large lab", yamlText(largeLab(reference))],
    ...listFixtures("valid").map((f): [string, string] => [`fixture ${f.name}`, f.text]),
  ];

  it.each(specs)("reads %s, and reads it as `yaml` does", (_name, text) => {
    const fast = loadPlainYaml(text);
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(fullPath(text));
  });

  it("reads a hand-edited spec (trailing spaces, CRLF, a leading ---), as `yaml` does", () => {
    for (const text of [reference.replace(/\n/g, "  \n"), reference.replace(/\n/g, "\r\n"), `---\n${reference}`]) {
      const fast = loadPlainYaml(text);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(fullPath(text));
    }
  });

  it("reads a spec that starts with a document marker, as `yaml` does", () => {
    for (const text of ["---\na: 1\n", "--- # the lab\na: 1\n...\n", "---\r\na: 1\r\n"]) {
      expect(loadPlainYaml(text)).toStrictEqual(fullPath(text));
      expect(loadPlainYaml(text)).toBeDefined();
    }
  });

  it("gives the same Cluster as the full path for every valid fixture (through parseCluster)", () => {
    for (const [name, text] of specs) {
      // A leading anchor sends the same document down the full path.
      const viaFullPath = parseCluster(text.replace(/^name: /m, "name: &spec-name "), name);
      expect(parseCluster(text, name)).toStrictEqual(viaFullPath);
    }
  });

  it.each([
    ["an anchor and its alias", "a: &x 1\nb: *x\n"],
    ["an anchored mapping", "a: &x {b: 1}\n"],
    ["an explicit core tag", "a: !!int '5'\n"],
    ["an explicit string tag", "a: !!str 5\n"],
    ["a local tag", "a: !secret x\n"],
    ["the non-specific tag", "a: ! 5\n"],
    ["a YAML 1.1 directive", "%YAML 1.1\n---\na: yes\n"],
    ["an explicit key", "? a\n: b\n"],
    ["a flow sequence as key", "[a]: b\n"],
    ["a flow mapping as key", "{a: 1}: b\n"],
    ["a null key", "~: a\n"],
    ["a null key spelled out", "env:\n  NULL: x\n"],
    ["an empty key in a flow mapping", "a: {b, : c}\n"],
    ["a key named null", "\"null\": a\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["two documents", "a: 1\n---\nb: 2\n"],
    ["a document marker run into a key", "---x: 1\n"],
    ["a mapping on the document marker's line", "--- a: 1\n"],
    ["a syntax error", "a: [1, 2\n"],
    ["a tab as indentation", "a:\n\tb: 1\n"],
  ])("declines %s", (_name, text) => {
    expect(loadPlainYaml(text)).toBeUndefined();
  });

  // Plain scalars are where YAML libraries differ most: `yaml`'s core schema and js-yaml's
  // disagree on 1_000, 0b11, +.5 and more; our schema must side with `yaml` on every one.
  const scalars = [
    ...["~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "yes", "no", "on", "off", "y", "n"],
    ...["0", "-0", "+0", "007", "012", "0o12", "0o8", "0x1F", "0X1F", "0xg", "0b101", "1_000", "+12", "-12", "9007199254740993", "1e400"],
    ...["1.0", "1.", ".5", "+.5", "-.5", "1e3", "1E3", "1.5e-3", ".5e+2", "1e", "e3", ".", "..", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "-.nan"],
    ...["2001-12-14", "12:30:00", "1:20", "0.0.0.0", "10.0.0.1/24", "'quoted'", '"7"', "=", "<<", "- a", "a b", "x:y", "@", "`"],
  ];

  it.each(scalars)("reads the plain scalar %s as `yaml` does, as a value, a key and a list item", (scalar) => {
    expectAgreement(`value: ${scalar}\n`);
    expectAgreement(`${scalar}: value\n`);
    expectAgreement(`list:\n  - ${scalar}\n  - [${scalar}]\n`);
  });

  // Random text in the places a spec puts text; the alphabets are what YAML gives a meaning to.
  // Whatever the fast path answers must be what `yaml` answers (the rules in plain-yaml.ts came
  // from failures of this search, run much longer than here).
  const contexts: Array<(text: string, indented: string) => string> = [
    (s) => `value: ${s}\n`,
    (s) => `${s}: value\n`,
    (s) => `list:\n- ${s}\n`,
    (s) => `a: {b: ${s}}\n`,
    (s) => `a: [${s}]\n`,
    (s) => `a:\n  ${s}\n`,
    (s) => `${s}\n`,
    (_s, i) => `a:\n  b: |\n    ${i}\n  c: 1\n`,
    (_s, i) => `a:\n  b: >-\n    ${i}\n`,
    (s) => `a:\n  b: "${s}"\n`,
    (_s, i) => `a:\n  b: '${i}'\n`,
    (_s, i) => `a:\n  - b: ${i}\n    c: 2\n`,
    (s) => `a: "x\n  ${s}"\n`,
    (s, i) => `a: ${s}\nb:\n  ${i}\n`,
  ];
  const scalarChars = [..."0123456789+-._eExXoObB~nNuUlLtTrRfFaAsSiI: #'\"\\[]{},?!&*|>%@`\t\n"];
  const structureChars = [..."ab:- #'\"\\[]{},|>+0123456789\n \r\u00e9\u2028\ufeff\u0085", "\\x41", "\\u00e9", "  - ", ": ", "\n  ", "|-\n", ">+\n", "\n---", "\n...", "--- "];

  it.each([
    ["scalar-like", scalarChars, 12, 20261122],
    ["structure-like", structureChars, 24, 20261123],
  ])("agrees with `yaml` on random %s text in every position", (_name, chars, maxLength, seed) => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength }), (parts) => {
        const text = parts.join("");
        const indented = text.replace(/\n/g, "\n    ");
        for (const context of contexts) expectAgreement(context(text, indented));
      }),
      search(2500, seed),
    );
  });

  it("agrees with `yaml` on random documents, however they are written", () => {
    const key = fc.string({ maxLength: 8 });
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("yes", "0o17", "1_000", "-.inf", "~", "multi\nline\n", " padded ", "tab\there"));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ maxDepth: 3 }, scalar, tie("list"), tie("map")),
      list: fc.array(tie("node"), { maxLength: 4 }),
      map: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
    })).map;
    const writers: Array<(v: unknown) => string> = [
      (v) => stringify(v),
      (v) => stringify(v, { lineWidth: 20, minContentWidth: 0 }),
      (v) => stringify(v, { collectionStyle: "flow" }),
      (v) => stringify(v, { defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN" }),
      (v) => stringify(v, { blockQuote: "folded" }),
      (v) => dump(v),
      (v) => dump(v, { lineWidth: 20, flowLevel: 1 }),
    ];
    fc.assert(
      fc.property(value, fc.nat(writers.length - 1), (doc, writer) => {
        expectAgreement(writers[writer](doc));
      }),
      search(1500, 20261124),
    );
  });
});
