// blockYaml writes the block layout itself and takes every string's form from js-yaml: it must
// give js-yaml's text byte for byte wherever it answers, and decline what it cannot write.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { dump } from "js-yaml";
import { BlockYamlWriter } from "../lib/block-yaml";
import { renderApplications } from "../charts/k8s-app";
import { yamlDumpOptions, yamlText } from "../lib/yaml-text";
import { parseCluster } from "../cluster/load";
import { autoDeployCharts } from "../infra/bootstrap/auto-deploy";
import { cloudConfig } from "../infra/user-data";
import { largeLab } from "../scripts/lib/large-lab";
import { referenceSpec } from "./helpers/spec-fixture";

const jsYaml = (value: unknown) => dump(value, yamlDumpOptions);
const referenceText = readFileSync(referenceSpec, "utf8");

describe.each([
  ["reference lab", parseCluster(referenceText, "homelab.yaml")],
  ["large lab", parseCluster(jsYaml(largeLab(referenceText)), "large.yaml")],
])("on the %s", (_, cluster) => {
  const objects = [
    ...[...renderApplications(cluster).values()].flat(),
    ...[...autoDeployCharts(cluster).values()].flatMap((chart) => chart.toJson()),
    ...cluster.vms.map((vm) => cloudConfig(cluster, vm)),
  ];

  it("writes every object as js-yaml does, and most of them itself", () => {
    const writer = new BlockYamlWriter(yamlDumpOptions);
    let written = 0;
    for (const object of objects) {
      const text = writer.write(object);
      if (text !== undefined) written++;
      expect(text ?? jsYaml(object)).toBe(jsYaml(object));
      expect(yamlText(object)).toBe(jsYaml(object));
    }
    expect(written / objects.length).toBeGreaterThan(0.95);
  });
});

/** Strings YAML reads as something else, or that need quotes, escapes or block styles. */
const traps = [
  "",
  " ",
  "a b",
  " lead",
  "trail ",
  "yes",
  "No",
  "on",
  "OFF",
  "y",
  "n",
  "true",
  "False",
  "null",
  "Null",
  "~",
  "0777",
  "0o17",
  "0x1F",
  "1e3",
  "1_000",
  "12:30:00",
  ".5",
  "+1",
  "-1",
  "1.0",
  ".inf",
  "-.Inf",
  ".NaN",
  "2026-11-22",
  "2026-11-22 10:00:00",
  "<<",
  "=",
  "- a",
  "-",
  "--",
  "---",
  "...",
  "? x",
  "?",
  ":",
  "a: b",
  "a:b",
  "a #b",
  "a#b",
  "#c",
  "[a]",
  "{a}",
  "a, b",
  "!tag",
  "&anchor",
  "*alias",
  "|",
  ">",
  "'q'",
  '"q"',
  "it's",
  "%x",
  "@x",
  "`x`",
  "line\nbreak",
  "trailing\n",
  "\n",
  "tab\there",
  "ünïcödé",
  "✓",
  "😀",
  "\u0007bell",
  "\u00a0nbsp",
  "\ufeffbom",
  "C:\\path",
  "${x}",
  "a".repeat(1100),
  // Multi-line: literal blocks with each chomping, an indentation indicator, or quotes.
  "a\n\n",
  "\n\nx",
  " lead\nx",
  "x\n ",
  "a\n  b\n",
  "a\r\nb",
  "tab\n\tx",
  "- a\n- b",
  "key: v\nk2: v2\n",
  "\u0007\nbell",
];
/** Multi-line text made of traps. */
const texts = fc.array(fc.constantFrom(...traps, "", "  indented"), { minLength: 2, maxLength: 4 }).map((lines) => lines.join("\n"));

const keys = fc.oneof(fc.constantFrom(...traps), fc.string({ maxLength: 6 }), fc.constantFrom("apiVersion", "kind", "metadata", "app.kubernetes.io/name"));
const scalars = fc.oneof(
  fc.constantFrom(...traps),
  texts,
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, -2.25, 1e21, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { document } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalars, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(keys, tie("value"), { maxKeys: 4 }),
  document: fc.oneof(tie("array"), tie("object")),
}));

describe("random documents", () => {
  it("come out exactly as js-yaml writes them", () => {
    const writer = new BlockYamlWriter(yamlDumpOptions);
    let written = 0;
    fc.assert(
      fc.property(document, (value) => {
        const text = writer.write(value);
        if (text !== undefined) written++;
        expect(text ?? jsYaml(value)).toBe(jsYaml(value));
      }),
      { numRuns: 3000 },
    );
    expect(written).toBeGreaterThan(500); // the others hold a float, undefined, …
  });
});

describe("what blockYaml leaves to js-yaml", () => {
  const writer = new BlockYamlWriter(yamlDumpOptions);
  it.each([
    ["a key with a line break", { "two\nlines": 1 }],
    ["a float", { ratio: 0.5 }],
    ["negative zero", [-0]],
    ["an unsafe integer", { big: 2 ** 60 }],
    ["a Date", { when: new Date(0) }],
    ["a class instance", { value: new (class Box {})() }],
    // 684 characters, 1,028 once quoted with every quote doubled
    ["a key written longer than 1024 characters", { ["'a".repeat(342)]: 1 }],
    ["an undefined value (js-yaml drops it)", { a: undefined, b: 1 }],
    // eslint-disable-next-line no-sparse-arrays -- a hole is the case under test
    ["a hole (js-yaml writes null)", [1, , 3]],
    ["a top-level scalar", "text"],
  ])("declines %s", (_, value) => {
    expect(writer.write(value)).toBeUndefined();
    expect(yamlText(value)).toBe(jsYaml(value));
  });

  it("refuses js-yaml options whose layout it does not write", () => {
    for (const changed of [{ indent: 4 }, { lineWidth: 80 }, { noRefs: false }, { sortKeys: true }, { flowLevel: 1 }, { noArrayIndent: true }]) {
      expect(() => new BlockYamlWriter({ ...yamlDumpOptions, ...changed })).toThrow(/default block layout/);
    }
  });

  it("lets js-yaml reject what it cannot write", () => {
    expect(writer.write({ f: () => 1 })).toBeUndefined();
    expect(() => yamlText({ f: () => 1 })).toThrow("unacceptable kind of an object to dump [object Function]");
  });
});
