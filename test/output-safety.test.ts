// Synth never loses a user's data: it replaces or deletes only what it wrote (it knows its output
// by the marker it writes there), refuses directories it does not own, never follows a symlink
// out of the repository, keeps Terraform state out of its output, and leaves Terraform's working
// files in a stack directory alone through every synth and every crash.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import * as fs from "node:fs";
import { SpecError } from "../cluster/problems";
import { ioFailure, reportFailure } from "../scripts/lib/cli";
import { synthesize } from "../scripts/lib/synthesize";
import { UsageError } from "../scripts/lib/usage-error";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { runSynth, scratch } from "./helpers/tree";

const synthTo = (outDir: string, clusterFile = referenceSpec) => synthesize({ clusterFile, outDir, root });

/** Every file below dir (symlinks as links, not followed), with its content. */
function snapshotFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) files.set(relative(dir, path), readFileSync(path, "utf8"));
    else if (entry.isSymbolicLink()) files.set(relative(dir, path), "<symlink>");
  }
  return files;
}

describe("--out onto a directory synth did not create", () => {
  it("refuses a directory holding someone's files, twice, and leaves them as they were", () => {
    const notes = join(scratch("mynotes"), "mynotes");
    mkdirSync(notes);
    writeFileSync(join(notes, "todo.txt"), "x");
    for (let run = 0; run < 2; run++) {
      const result = runSynth(["--out", notes, "--quiet"]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/mynotes.*not written by synth/);
    }
    expect(snapshotFiles(notes)).toEqual(new Map([["todo.txt", "x"]]));
  });

  // In a throwaway repository shaped like this one: a regression must not eat our own folders.
  const repo = fakeRepository({
    ".terraform-state/homelab.tfstate": "{}",
    "bench/bench.ts": "// tracked",
    ".github/workflows/ci.yml": "on: push",
    ".ci/run": "#!/bin/sh",
    ".build/synth.cjs": "// untracked build output",
    "docs/guide.md": "# tracked",
    "lib/util.ts": "// tracked",
    "dist/k8s/app/manifests.yaml": "kind: List",
  });
  it.each([".terraform-state", "bench", ".github", ".ci", ".build", "docs", "lib", ".git", "."])("refuses the repository's own %s", (folder) => {
    const before = snapshotFiles(repo);
    expect(() => synthesize({ clusterFile: referenceSpec, outDir: join(repo, folder), root: repo })).toThrow(UsageError);
    expect(snapshotFiles(repo)).toEqual(before);
  });

  it("refuses the state directory the spec names, even when it does not exist yet", () => {
    const dir = scratch("state-out");
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, overlayReference({ "terraform.backend.path": ".test-out/state-out/state/lab.tfstate" }));
    expect(() => synthTo(join(dir, "state"), spec)).toThrow(/state/);
    expect(() => synthTo(dir, spec)).toThrow(/state/);
  });

  it("adopts an old output without a marker when it holds only what synth writes and Terraform's working files", () => {
    const out = join(scratch("adopt"), "dist");
    synthTo(out);
    rmSync(join(out, ".synth-output.json"));
    const stack = join(out, "terraform", "stacks", "homelab");
    writeFileSync(join(stack, ".terraform.lock.hcl"), "# lock\n");
    synthTo(out);
    expect(readFileSync(join(stack, ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
    expect(existsSync(join(out, ".synth-output.json"))).toBe(true);
  });
});

describe("symlinks", () => {
  const outside = () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-outside-"));
    writeFileSync(join(dir, "precious.txt"), "keep me");
    return dir;
  };

  it("refuses an output that is a symlink, and leaves its target alone", () => {
    const target = outside();
    const dir = scratch("link-out");
    symlinkSync(target, join(dir, "dist"));
    for (let run = 0; run < 2; run++) expect(() => synthTo(join(dir, "dist"))).toThrow(/symlink/);
    expect(snapshotFiles(target)).toEqual(new Map([["precious.txt", "keep me"]]));
  });

  it("refuses an output below a symlinked directory (link/sub)", () => {
    const target = outside();
    const dir = scratch("link-parent");
    symlinkSync(target, join(dir, "link"));
    expect(() => synthTo(join(dir, "link", "sub"))).toThrow(/symlink/);
    expect(readdirSync(target)).toEqual(["precious.txt"]);
  });

  it("never writes through a symlink planted in the spare", () => {
    const target = outside();
    const dir = scratch("link-spare");
    const out = join(dir, "dist");
    synthTo(out);
    synthTo(out); // now .dist.spare exists
    const spare = join(dir, ".dist.spare");
    rmSync(join(spare, "ansible", "hosts.yaml"));
    symlinkSync(join(target, "precious.txt"), join(spare, "ansible", "hosts.yaml"));
    synthTo(out);
    expect(readFileSync(join(target, "precious.txt"), "utf8")).toBe("keep me");
    expect(snapshotFiles(out).get("ansible/hosts.yaml")).not.toBe("<symlink>");
  });
});

describe("Terraform state never inside the output", () => {
  it.each(["././dist/homelab.tfstate", ".//dist/homelab.tfstate", "dist//x/../homelab.tfstate", "/tmp/homelab.tfstate", ".git/x.tfstate"])(
    "rejects the state path %s in the spec",
    (path) => {
      expect(() => synthTo(join(scratch("state-path"), "dist"), writeSpec("state-path", { "terraform.backend.path": path }))).toThrow(SpecError);
    },
  );
});

describe("Terraform's working files in a stack directory", () => {
  const workFiles = {
    "lab.plan": "plan",
    "terraform.tfvars": "token = 1",
    "prod.auto.tfvars": "x = 2",
    ".terraform.lock.hcl": "# lock",
    ".terraform/providers/p": "bin",
    "notes.md": "mine",
  };

  it("survive every synth, also when the spec changes", () => {
    const out = join(scratch("work-files"), "dist");
    synthTo(out);
    const stack = join(out, "terraform", "stacks", "homelab");
    for (const [file, content] of Object.entries(workFiles)) {
      mkdirSync(join(stack, file, ".."), { recursive: true });
      writeFileSync(join(stack, file), content);
    }
    synthTo(out);
    synthTo(out, writeSpec("work-files-b", { "apps.1.port": 8990 }));
    for (const [file, content] of Object.entries(workFiles)) expect([file, readFileSync(join(stack, file), "utf8")]).toEqual([file, content]);
  });
});

describe("a crash in the middle of the swap", () => {
  it("after the new output is in place but before the user's files moved over: the next run moves them", () => {
    const dir = scratch("crash-window");
    const out = join(dir, "dist");
    synthTo(out);
    const stack = join(out, "terraform", "stacks", "homelab");
    mkdirSync(join(stack, ".terraform"), { recursive: true });
    writeFileSync(join(stack, ".terraform", "state"), "init");
    writeFileSync(join(stack, ".terraform.lock.hcl"), "# lock");
    // The crash: old output renamed aside by a dead run, a new complete output (without them) in place.
    renameSync(out, join(dir, ".dist.old-999999999"));
    synthTo(join(dir, "fresh"));
    renameSync(join(dir, "fresh"), out);
    synthTo(out);
    expect(readFileSync(join(stack, ".terraform", "state"), "utf8")).toBe("init");
    expect(readFileSync(join(stack, ".terraform.lock.hcl"), "utf8")).toBe("# lock");
    expect(readdirSync(dir).filter((e) => e.startsWith(".dist.old-"))).toEqual([]);
  });
});

describe("property: synth leaves every file it did not write byte-identical, or refuses", () => {
  it("holds for random output paths: existing directories with files, symlinks, nesting, the state directory", () => {
    const base = scratch("prop-out");
    const external = mkdtempSync(join(tmpdir(), "homelab-prop-"));
    writeFileSync(join(external, "x.txt"), "outside");
    let n = 0;
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 0, max: 2 }),
          existing: fc.constantFrom("none", "empty", "files", "symlink", "parent-symlink", "synth-then-files", "state"),
        }),
        ({ depth, existing }) => {
          const dir = join(base, `case-${n++}`);
          mkdirSync(dir, { recursive: true });
          const out = join(dir, ...Array.from({ length: depth }, (_, i) => `d${i}`), "out");
          mkdirSync(join(out, ".."), { recursive: true });
          let spec = referenceSpec;
          if (existing === "empty") mkdirSync(out);
          if (existing === "files") {
            mkdirSync(join(out, "k8s"), { recursive: true });
            writeFileSync(join(out, "k8s", "mine.yaml"), "a: 1");
          }
          if (existing === "symlink") symlinkSync(external, out);
          if (existing === "parent-symlink") {
            rmSync(join(out, ".."), { recursive: true, force: true });
            symlinkSync(external, join(out, ".."));
          }
          if (existing === "synth-then-files") {
            synthTo(out);
            writeFileSync(join(out, "k8s", "mine.yaml"), "a: 1");
          }
          if (existing === "state") spec = writeSpec(`prop-${n}`, { "terraform.backend.path": `${relative(root, out)}/lab.tfstate` });
          const before = snapshotFiles(dir);
          const beforeExternal = snapshotFiles(external);
          try {
            synthTo(out, spec);
          } catch (error) {
            expect(error instanceof UsageError || error instanceof SpecError).toBe(true);
            expect(snapshotFiles(dir)).toEqual(before);
            expect(snapshotFiles(external)).toEqual(beforeExternal);
            return;
          }
          const after = snapshotFiles(dir);
          const owned = new Set<string>(
            JSON.parse(readFileSync(join(out, ".synth-output.json"), "utf8")).files.map((f: string) => relative(dir, join(out, f))),
          );
          owned.add(relative(dir, join(out, ".synth-output.json")));
          for (const [file, content] of before) if (!owned.has(file)) expect([file, after.get(file)]).toEqual([file, content]);
          expect(snapshotFiles(external)).toEqual(beforeExternal);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

/** A git repository in a temporary directory with these files committed (but .build/, ignored). */
function fakeRepository(files: Record<string, string>): string {
  const repo = mkdtempSync(join(tmpdir(), "homelab-repo-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(repo, file, ".."), { recursive: true });
    writeFileSync(join(repo, file), content);
  }
  writeFileSync(join(repo, ".gitignore"), ".build/\n.terraform-state/\n");
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
    });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "files");
  return repo;
}

function writeSpec(name: string, set: Record<string, unknown>): string {
  const file = join(scratch(`spec-${name}`), "spec.yaml");
  writeFileSync(file, overlayReference(set));
  return file;
}

describe("an environment error is reported as such", () => {
  const failing = (code: string) => ({
    ...fs,
    writeFileSync: (path: fs.PathOrFileDescriptor) => {
      const error = Object.assign(new Error(`${code}: simulated, write '${String(path)}'`), { code, syscall: "write", path: String(path) });
      throw error;
    },
  });

  it.each(["ENOSPC", "EACCES", "EROFS"])("%s: exit 74 naming the path, the old output untouched", (code) => {
    const out = join(scratch(`io-${code}`), "dist");
    synthTo(out);
    const before = snapshotFiles(out);
    let thrown: unknown;
    try {
      synthesize({ clusterFile: referenceSpec, outDir: out, root, writerFs: failing(code) });
    } catch (error) {
      thrown = error;
    }
    expect(snapshotFiles(out)).toEqual(before);
    expect(ioFailure(thrown)).toMatch(new RegExp(`^cannot write .*\\.yaml: .*\\(${code}\\)`));
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(reportFailure("synth", thrown)).toBe(74);
      expect(String(stderr.mock.calls[0][0])).not.toContain("internal error");
    } finally {
      stderr.mockRestore();
    }
  });
});
