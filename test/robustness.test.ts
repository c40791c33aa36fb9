// Hostile and broken input, and a synth nothing can corrupt: random spec mutations are either
// rejected naming a field or synthesize valid output; killed or concurrent synths never leave a
// partial or mixed dist/; output does not depend on TZ, locale or working directory.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { renderApplications } from "../charts/k8s-app";
import { yamlText } from "../lib/yaml-text";
import { parseCluster } from "../cluster/load";
import { readSpecYaml } from "../cluster/spec-yaml";
import { SpecError } from "../cluster/problems";
import { synthTerraform } from "../infra/terraform-app";
import { readTree } from "../scripts/lib/output-tree";
import { synthesize } from "../scripts/lib/synthesize";
import { KubernetesSchemas, kindsWithoutOfflineSchema } from "../scripts/lib/validate/kubernetes-schemas";
import { crdDirectory } from "../scripts/lib/validate/rendered-k8s";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { runSynth, scratch, synthCommand } from "./helpers/tree";

const referenceText = readFileSync(referenceSpec, "utf8");
const referenceData = readSpecYaml(referenceText, "homelab.yaml").data;
const schemas = new KubernetesSchemas(crdDirectory(root));

/** Every leaf of the reference spec, as a path. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}
const allLeaves = leaves(referenceData);

function setAt(data: any, path: (string | number)[], value: unknown) {
  const copy = structuredClone(data);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]] = value;
  return copy;
}

let sample = 0;
/** Synthesizes a valid spec in memory and checks every output against its schema. */
function expectValidOutput(text: string) {
  const cluster = parseCluster(text, "sample.yaml");
  for (const objects of renderApplications(cluster).values()) {
    for (const object of objects) {
      const verdict = schemas.validate(object);
      if (verdict.status === "no-schema") expect(Object.keys(kindsWithoutOfflineSchema)).toContain(object.kind);
      else expect({ kind: object.kind, verdict }).toEqual({ kind: object.kind, verdict: { status: "valid" } });
    }
  }
  // The Terraform side synthesizes; terraform-validate.test.ts runs the real validate on the labs.
  const outdir = scratch(`prop-${sample++}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  expect(JSON.parse(readFileSync(join(outdir, "stacks", cluster.name, "cdk.tf.json"), "utf8")).resource.proxmox_virtual_environment_vm).toBeDefined();
}

describe("property: any mutation of a field is rejected naming a field, or synthesizes valid output", () => {
  const anyValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.integer({ min: -1e6, max: 1e9 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    fc.double({ noNaN: true }),
  );

  /** Plausible edits of a leaf (same type, small change), so valid specs are generated too. */
  const plausible = (path: (string | number)[]) => {
    const original = path.reduce<any>((node, key) => node[key], referenceData);
    if (typeof original === "boolean") return fc.constant(!original);
    if (typeof original === "number") return fc.integer({ min: -3, max: 3 }).map((d) => original + d);
    if (typeof original === "string") return fc.constantFrom(original, `${original}x`, original.toUpperCase(), original.slice(0, -1));
    return anyValue;
  };
  const mutation = fc.constantFrom(...allLeaves).chain((path) => fc.tuple(fc.constant(path), fc.oneof(plausible(path), anyValue)));

  it("holds for random leaves and values", () => {
    const outcomes = { rejected: 0, valid: 0 };
    fc.assert(
      fc.property(mutation, ([path, value]) => {
        const text = yamlText(setAt(referenceData, path, value));
        try {
          parseCluster(text, "mutated.yaml");
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
          const problems = (error as SpecError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.path.length + (p.line ?? 0)).toBeGreaterThan(0); // names a field (or a line)
            expect(p.message).not.toMatch(/\n\s+at /); // never a stack trace
          }
          outcomes.rejected++;
          return;
        }
        expectValidOutput(text);
        outcomes.valid++;
      }),
      { numRuns: 60, seed: 20261122 },
    );
    // Both branches must be exercised, or the property proves little.
    expect(outcomes.rejected).toBeGreaterThan(10);
    expect(outcomes.valid).toBeGreaterThan(3);
  });

  it("rejects unknown keys anywhere", () => {
    const objects = [[], ...allLeaves.map((l) => l.slice(0, -1))].filter((p) => !p.some((k) => k === "env"));
    fc.assert(
      fc.property(fc.constantFrom(...objects), fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/), (path, key) => {
        const data = structuredClone(referenceData);
        let node: any = data;
        for (const k of path) node = node[k];
        if (Array.isArray(node) || key in node) return;
        node[key] = 1;
        expect(() => parseCluster(yamlText(data), "typo.yaml")).toThrow(/unknown key/);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("a rejected spec never touches the output", () => {
    const dir = scratch("prop-untouched");
    const out = join(dir, "dist");
    synthesize({ clusterFile: referenceSpec, outDir: out, root });
    const before = readTree(out);
    fc.assert(
      fc.property(fc.constantFrom(...allLeaves), fc.constant("not-a-valid-value ${x}\n---"), (path, value) => {
        const spec = join(dir, "bad.yaml");
        writeFileSync(spec, yamlText(setAt(referenceData, path, value)));
        try {
          synthesize({ clusterFile: spec, outDir: out, root });
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
        }
        if (readTree(out).size !== before.size) throw new Error("output changed");
      }),
      { numRuns: 15, seed: 3 },
    );
    // Whatever was accepted rewrote dist/ completely; put the reference back and compare.
    synthesize({ clusterFile: referenceSpec, outDir: out, root });
    expect(readTree(out)).toEqual(before);
  });
});

describe("a synth nothing can corrupt", () => {
  const dir = scratch("kill");
  const specA = referenceSpec;
  const specB = join(dir, "b.yaml");
  writeFileSync(specB, overlayReference({ "apps.1.port": 8990 }));
  const out = join(dir, "dist");
  synthesize({ clusterFile: specA, outDir: out, root });
  const treeA = readTree(out);
  synthesize({ clusterFile: specB, outDir: out, root });
  const treeB = readTree(out);
  const sameAs = (tree: Map<string, string>) => {
    const current = readTree(out);
    return current.size === tree.size && [...tree].every(([k, v]) => current.get(k) === v);
  };

  it("SIGKILL at random moments, looped, leaves either complete output (or a complete old one the next run restores), and never loses Terraform's working files", async () => {
    const stack = (base: string) => join(base, "terraform", "stacks", "homelab");
    const workFiles = { ".terraform/providers/p": "binary", ".terraform.lock.hcl": "# lock", "lab.plan": "plan" };
    for (const [file, content] of Object.entries(workFiles)) {
      mkdirSync(join(stack(out), file, ".."), { recursive: true });
      writeFileSync(join(stack(out), file), content);
    }
    /** Each working file, in the output or in an old output the next run moves it from. */
    const workFilesKept = () =>
      Object.entries(workFiles).every(([file, content]) =>
        [
          out,
          ...readdirSync(dir)
            .filter((e) => e.startsWith(".dist.old-"))
            .map((e) => join(dir, e)),
        ].some((base) => existsSync(join(stack(base), file)) && readFileSync(join(stack(base), file), "utf8") === content),
      );
    for (let i = 0; i < 14; i++) {
      const child = spawn(...synthCommand(["--cluster", i % 2 ? specA : specB, "--out", out, "--quiet"]), { cwd: root, stdio: "ignore" });
      const exited = new Promise((resolve) => child.on("exit", resolve));
      const delay = 80 + ((i * 97) % 700);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill("SIGKILL");
      await exited;
      if (existsSync(out)) {
        expect({ i, delay, complete: sameAs(treeA) || sameAs(treeB) }).toEqual({ i, delay, complete: true });
      } else {
        // Killed between the two renames: the complete old output waits beside it.
        const old = readdirSync(dir).find((e) => e.startsWith(".dist.old-"));
        expect({ i, delay, old }).toEqual({ i, delay, old: expect.any(String) });
      }
      expect({ i, delay, workFilesKept: workFilesKept() }).toEqual({ i, delay, workFilesKept: true });
    }
    // The next run recovers whatever the kills left (stale lock, temporaries) and completes.
    expect(runSynth(["--cluster", specA, "--out", out, "--quiet"]).status).toBe(0);
    expect(sameAs(treeA)).toBe(true);
    expect(readdirSync(dir).filter((e) => /^\.dist\.(tmp|old)-|^\.dist\.lock$/.test(e))).toEqual([]);
    for (const [file, content] of Object.entries(workFiles)) expect(readFileSync(join(stack(out), file), "utf8")).toBe(content);
  }, 120_000);

  it("two synths started at once: one waits its turn or fails clearly; dist/ is one complete output", async () => {
    const start = (spec: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(...synthCommand(["--cluster", spec, "--out", out, "--quiet"]), { cwd: root });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([start(specA), start(specB)]);
    for (const r of results) {
      if (r.code !== 0)
        expect(r).toEqual({ code: 2, stderr: expect.stringMatching(/^synth: another synth \(pid \d+\) is writing .*; wait for it to finish\n$/) });
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    expect(sameAs(treeA) || sameAs(treeB)).toBe(true);
  }, 60_000);
});

describe("output does not depend on the machine's settings", () => {
  it("is identical under another TZ, locale and working directory", () => {
    const dir = scratch("env");
    const a = join(dir, "a");
    const b = join(dir, "b");
    expect(runSynth(["--out", a, "--quiet"]).status).toBe(0);
    const other = runSynth(["--cluster", referenceSpec, "--out", b, "--quiet"], { TZ: "Pacific/Chatham", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" }, "/tmp");
    expect(other.status).toBe(0);
    expect(readTree(b)).toEqual(readTree(a));
  });
});

it("rejects a huge --cluster file with one clear line", () => {
  const dir = scratch("huge");
  writeFileSync(join(dir, "huge.yaml"), `# ${"x".repeat(2 * 1024 * 1024)}\n`);
  const result = runSynth(["--cluster", join(dir, "huge.yaml"), "--out", join(dir, "dist")]);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/is \d+ bytes; a spec is at most 1048576 bytes/);
  expect(existsSync(join(dir, "dist"))).toBe(false);
});
