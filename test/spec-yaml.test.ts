// Reading spec text: YAML 1.2 core scalars, placeholders, and hostile input refused as a user
// error (one line, the line number, never the file's content) instead of a crash.
import { readFileSync } from "node:fs";
import { parseSpec } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { readSpecYaml } from "../cluster/spec-yaml";
import { referenceSpec } from "./helpers/spec-fixture";

function specError(run: () => unknown): SpecError {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("spec YAML", () => {
  it("reads scalars as YAML 1.2's core schema does", () => {
    const { data } = readSpecYaml("a: yes\nb: 0777\nc: 1_000\nd: 0o17\ne: 0x1f\nf: ~\ng: True\nh: 1.5e3\ni: .inf\nj: '42'\n", "t.yaml");
    expect(data).toEqual({ a: "yes", b: 777, c: "1_000", d: 15, e: 31, f: null, g: true, h: 1500, i: Infinity, j: "42" });
  });

  it("records the paths and lines of placeholders: !placeholder values and replace-me strings", () => {
    const text =
      'gpu:\n  iommuGroup: !placeholder 40\n  ids: [!placeholder 10de:2504, x]\n  sum: !placeholder "0000"\nkeys:\n  - ssh-ed25519 AAAA replace-me@homelab\n';
    const { data, placeholders } = readSpecYaml(text, "t.yaml");
    // Plain ones read like any scalar; quoted ones stay strings.
    expect(data).toEqual({ gpu: { iommuGroup: 40, ids: ["10de:2504", "x"], sum: "0000" }, keys: ["ssh-ed25519 AAAA replace-me@homelab"] });
    expect(placeholders).toEqual([
      { path: ["gpu", "iommuGroup"], line: 2 },
      { path: ["gpu", "ids", 0], line: 3 },
      { path: ["gpu", "sum"], line: 4 },
      { path: ["keys", 0], line: 6 },
    ]);
  });

  it("reports a syntax error once, at its line, without quoting the file", () => {
    const text = "name: homelab\nproxmox:\n  endpoint: https://x\n   insecure: secret-value-here\n";
    const error = specError(() => readSpecYaml(text, "bad.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].line).toBe(4);
    expect(error.message).not.toContain("secret-value-here");
  });

  it("never echoes a file that is not a spec", () => {
    const shadow = "root:$6$Sa1tSa1t$h4shh4shh4sh:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
    const error = specError(() => parseSpec(shadow, "/etc/shadow"));
    expect(error.message).not.toMatch(/h4sh|Sa1t|daemon/);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    const error = specError(() => parseSpec(levels.join("\n"), "bomb.yaml"));
    expect(error.message).toContain("aliases expand the document");
  });

  it("refuses nesting thousands of levels deep", () => {
    const deep = `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const error = specError(() => parseSpec(deep, "deep.yaml"));
    expect(error.message).toContain("nesting is deeper than");
  });

  it("refuses tags it does not know", () => {
    const error = specError(() => parseSpec(readFileSync(referenceSpec, "utf8").replace("name: homelab", "name: !foo homelab"), "tag.yaml"));
    expect(error.message).toMatch(/unknown tag/);
  });

  it("keeps __proto__ as a key, so the schema rejects it instead of dropping it", () => {
    const text = readFileSync(referenceSpec, "utf8").replace("env: { VERSION: docker }", "env: { VERSION: docker, __proto__: { X: y } }");
    expect(text).toContain("__proto__");
    const error = specError(() => parseSpec(text, "proto.yaml"));
    expect(error.message).toContain("__proto__");
  });
});
