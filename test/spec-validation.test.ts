// Every rule of the spec, one fixture each (test/fixtures/spec/invalid), and the valid
// variants (test/fixtures/spec/valid), run by one table.
import { readFileSync } from "node:fs";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { listFixtures, referenceSpec } from "./helpers/spec-fixture";

function problemsOf(text: string, name: string): SpecError {
  try {
    parseCluster(text, `${name}.yaml`);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error(`${name}: the spec was accepted`);
}

describe("invalid specs are rejected with the field and the fix", () => {
  const fixtures = listFixtures("invalid");

  it("has a fixture per rule", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", (name, fixture) => {
    expect(fixture.expect.length).toBeGreaterThan(0);
    const error = problemsOf(fixture.text, name);
    for (const expected of fixture.expect) expect(error.message).toContain(expected);
    if (fixture.problems !== undefined) expect(error.problems).toHaveLength(fixture.problems);
    for (const line of error.message.split("\n")) {
      // file:line: path: what. Fix: how — or a "must be …" that says what to write.
      expect(line).toMatch(/^[\w.-]+\.yaml(:\d+)?: /);
      expect(line).toMatch(/Fix: |must be /);
    }
  });

  it("points at the line of the offending value", () => {
    const error = problemsOf(readFileSync(referenceSpec, "utf8").replace("ip: 10.10.10.61", "ip: 10.10.10.60"), "homelab");
    const line =
      readFileSync(referenceSpec, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("k3s-worker-2")) + 1;
    expect(error.problems[0]).toMatchObject({ path: ["vms", 4, "ip"], line });
  });
});

describe("valid specs are accepted", () => {
  it("accepts the reference lab", () => {
    const cluster = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
    expect(cluster.vms).toHaveLength(9);
  });

  it.each(listFixtures("valid").map((f) => [f.name, f] as const))("%s", (name, fixture) => {
    expect(() => parseCluster(fixture.text, `${name}.yaml`)).not.toThrow();
  });
});
