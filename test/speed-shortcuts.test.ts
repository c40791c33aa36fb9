// `npm run synth` takes speed shortcuts (lib/plain-mode.ts): a warm V8 startup snapshot
// (scripts/synth.sh → scripts/snapshot.cjs, scripts/lib/startup-snapshot.ts), its own YAML block
// writer, a leaner cdktf stack synthesis, no stack traces, a recycled output directory. What it
// writes must be byte for byte what the stock libraries write (HOMELAB_PLAIN=1), for any spec and
// on a re-synth, and a code change must be picked up by the very next run.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { readTree } from "../scripts/lib/output-tree";
import { synthesize } from "../scripts/lib/synthesize";
import { warmUpSynth } from "../scripts/lib/synth-cli";
import { writeLab } from "./helpers/sealing-key";
import { listFixtures, referenceSpec, root } from "./helpers/spec-fixture";
import { repositoryCopy } from "./helpers/repo-copy";
import { referenceOutput, runSynth, scratch } from "./helpers/tree";

/** A synth in this process with every shortcut off. */
function plainSynth(clusterFile: string, outDir: string): void {
  process.env.HOMELAB_PLAIN = "1";
  try {
    synthesize({ clusterFile, outDir, root });
  } finally {
    delete process.env.HOMELAB_PLAIN;
  }
}

describe("synth with its speed shortcuts", () => {
  const dir = scratch("startup-snapshot");
  const specs: [string, string][] = [
    ["reference lab", referenceSpec],
    // Each in a folder of its own: the sealed values of a lab sit beside its spec.
    ...listFixtures("valid").map((f): [string, string] => {
      mkdirSync(join(dir, f.name), { recursive: true });
      return [f.name, writeLab(join(dir, f.name), `${f.name}.yaml`, f)];
    }),
  ];

  it.each(specs)(
    "writes what the stock libraries write (HOMELAB_PLAIN=1): %s",
    (_name, spec) => {
      const name = spec
        .split("/")
        .pop()!
        .replace(/\.yaml$/, "");
      plainSynth(spec, join(dir, `${name}-plain`));
      const plain = readTree(join(dir, `${name}-plain`));
      // Recycling the previous output does not depend on the spec: the reference lab runs twice.
      const runs = spec === referenceSpec ? 2 : 1;
      for (let run = 0; run < runs; run++) {
        const result = runSynth(["--cluster", spec, "--out", join(dir, `${name}-snapshot`), "--quiet"]);
        expect(result).toMatchObject({ status: 0, stderr: "" });
        expect(readTree(join(dir, `${name}-snapshot`))).toEqual(plain);
      }
    },
    60_000,
  );

  it("resolves relative --cluster and --out against the working directory it runs in, not the build's", () => {
    const cwd = join(dir, "elsewhere");
    mkdirSync(cwd, { recursive: true });
    const result = runSynth(["--cluster", relative(cwd, referenceSpec), "--out", "dist", "--quiet"], {}, cwd);
    expect(result).toMatchObject({ status: 0, stderr: "" });
    synthesize({ clusterFile: referenceSpec, outDir: join(cwd, "plain"), root });
    expect(readTree(join(cwd, "dist"))).toEqual(readTree(join(cwd, "plain")));
    // And the same refusal as a plain run for a directory outside the repository.
    expect(runSynth(["--out", "dist"], {}, tmpdir())).toMatchObject({ status: 2, stderr: expect.stringContaining(`not ${join(tmpdir(), "dist")}`) });
  });

  it.each([
    ["HOMELAB_PLAIN=1", { HOMELAB_PLAIN: "1" }],
    ["NODE_OPTIONS set (V8 flags must match a snapshot's)", { NODE_OPTIONS: "--max-old-space-size=2048" }],
  ])("runs plainly with %s, same output", (_what, env) => {
    const out = join(dir, `plain-${Object.keys(env)[0]}`);
    expect(runSynth(["--out", out, "--quiet"], env)).toMatchObject({ status: 0, stderr: "" });
    expect(readTree(out)).toEqual(readTree(join(dir, "homelab-snapshot")));
  });
});

/** Placeholder warnings are fine (the reference spec has one); errors are not. */
const warningsOnly = expect.not.stringMatching(/error|fail/i);

describe("a copy of the repository", () => {
  const copy = repositoryCopy("homelab-snapshot");
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const synthIn = (repo: string) => runSynth([], {}, repo, repo);
  const blobOf = (repo: string) =>
    join(
      repo,
      ".build",
      readdirSync(join(repo, ".build")).find((f) => f.endsWith(".snapshot.blob"))!,
    );

  // Freshness is judged by content: an edit whose mtime lies in the past (a restored backup,
  // `git checkout` of an old file, `cp -p`, a clock step) must still run the new code, and a
  // touched file whose content did not change must not cost a rebuild.
  const cli = () => join(copy, "scripts", "lib", "synth-cli.ts");
  const relabel = (label: string) => {
    const text = readFileSync(cli(), "utf8").replace(/`synth (\([a-z-]+\) )?\$\{summary\.cluster\.name\}: /, `\`synth (${label}) \${summary.cluster.name}: `);
    writeFileSync(cli(), text);
    const past = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(cli(), past, past);
  };

  it("builds its snapshot on the first run, rebuilds it after a source change (even one dated in the past), a new install and a move", () => {
    const first = synthIn(copy);
    expect(first).toMatchObject({ status: 0, stderr: warningsOnly, stdout: expect.stringMatching(/^synth homelab: /) });
    const firstBuild = statSync(blobOf(copy)).mtimeMs;
    expect(readTree(join(copy, "dist"))).toEqual(readTree(referenceOutput));
    // Nothing changed: the next run uses the snapshot as it is.
    expect(synthIn(copy)).toMatchObject({ status: 0, stderr: warningsOnly });
    expect(statSync(blobOf(copy)).mtimeMs).toBe(firstBuild);

    // A source change with an mtime older than the snapshot: the next run must run the changed code.
    relabel("changed");
    expect(synthIn(copy)).toMatchObject({ status: 0, stderr: warningsOnly, stdout: expect.stringMatching(/^synth \(changed\) homelab: /) });
    const secondBuild = statSync(blobOf(copy)).mtimeMs;
    expect(secondBuild).toBeGreaterThan(firstBuild);
    // Touched, same content: no rebuild.
    utimesSync(cli(), new Date(), new Date());
    expect(synthIn(copy)).toMatchObject({ status: 0, stderr: warningsOnly });
    expect(statSync(blobOf(copy)).mtimeMs).toBe(secondBuild);
    // npm ci/install rewrites node_modules/.package-lock.json: new packages, new snapshot.
    const installed = join(copy, "node_modules", ".package-lock.json");
    writeFileSync(installed, `${readFileSync(installed, "utf8")}\n`);
    expect(synthIn(copy)).toMatchObject({ status: 0, stderr: warningsOnly });
    const thirdBuild = statSync(blobOf(copy)).mtimeMs;
    expect(thirdBuild).toBeGreaterThan(secondBuild);

    // The snapshot knows where it was built; moved, it rebuilds and writes to the new place.
    const moved = `${copy}-moved`;
    renameSync(copy, moved);
    try {
      rmSync(join(moved, "dist"), { recursive: true });
      expect(synthIn(moved)).toMatchObject({ status: 0, stderr: warningsOnly, stdout: expect.stringMatching(/^synth \(changed\) homelab: /) });
      expect(statSync(blobOf(moved)).mtimeMs).toBeGreaterThan(thirdBuild);
      expect(readTree(join(moved, "dist"))).toEqual(readTree(referenceOutput));
    } finally {
      renameSync(moved, copy);
    }
  }, 120_000);

  it("runs an edit whose mtime is older than the plain run's bundle", () => {
    const plain = () => runSynth([], { HOMELAB_PLAIN: "1" }, copy, copy);
    expect(plain()).toMatchObject({ status: 0, stderr: warningsOnly });
    relabel("backdated-plain");
    expect(plain()).toMatchObject({ status: 0, stderr: warningsOnly, stdout: expect.stringMatching(/^synth \(backdated-plain\) homelab: /) });
  }, 120_000);

  it("reuses the plain run's bundle when the command runs from another directory", () => {
    const elsewhere = join(copy, "cluster");
    const plain = () => runSynth(["--cluster", "homelab.yaml", "--out", "../dist", "--quiet"], { HOMELAB_PLAIN: "1" }, elsewhere, copy);
    expect(plain()).toMatchObject({ status: 0, stderr: warningsOnly });
    const bundle = join(copy, ".build", "synth.cjs");
    const built = statSync(bundle).mtimeMs;
    expect(plain()).toMatchObject({ status: 0, stderr: warningsOnly });
    expect(statSync(bundle).mtimeMs).toBe(built);
  }, 120_000);
});

describe("the snapshot's warm-up", () => {
  it("leaves Error's stack-trace settings as it found them and no scratch directory behind", () => {
    const before = { limit: Error.stackTraceLimit, capture: Error.captureStackTrace, prepare: Error.prepareStackTrace };
    expect(warmUpSynth(root)).toBe(true);
    expect({ limit: Error.stackTraceLimit, capture: Error.captureStackTrace, prepare: Error.prepareStackTrace }).toEqual(before);
    // Neither its output nor the spare and lock that output leaves behind.
    expect(readdirSync(root).filter((f) => f.includes("synth-warm-up-"))).toEqual([]);
  }, 60_000);
});
