// Synth never loses a user's data: it replaces or deletes only what it wrote (it knows its output
// by the marker it writes there), refuses directories it does not own, never follows a symlink
// out of the repository, keeps Terraform state out of its output, and leaves Terraform's working
// files in a stack directory alone through every synth and every crash.
import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import * as fs from "node:fs";
import { SpecError } from "../cluster/problems";
import { ioFailure, reportFailure } from "../scripts/lib/cli";
import { synthCli } from "../scripts/lib/synth-cli";
import { synthesize } from "../scripts/lib/synthesize";
import { UsageError } from "../scripts/lib/usage-error";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { readTree, runSynth, scratch } from "./helpers/tree";
import { outputPaths } from "../scripts/lib/atomic-dir";
import { readRegular } from "../scripts/lib/regular-files";
import { commitSpecChange, git, makeRepo } from "./helpers/lab-repo";

const synthTo = (outDir: string, clusterFile = referenceSpec, beforeSwap?: () => void) => synthesize({ clusterFile, outDir, root, beforeSwap });

/** Every entry below dir (symlinks and FIFOs as such, not followed or opened; empty directories too), with its content. */
function snapshotFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) files.set(relative(dir, path), readFileSync(path, "utf8"));
    else if (entry.isSymbolicLink()) files.set(relative(dir, path), "<symlink>");
    else if (entry.isFIFO()) files.set(relative(dir, path), "<fifo>");
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

/** Adds paths to an output's marker, whatever its format (a list of paths, or path → hash). */
function listInMarker(out: string, paths: readonly string[]) {
  const file = join(out, ".synth-output.json");
  const marker = JSON.parse(readFileSync(file, "utf8"));
  if (Array.isArray(marker.files)) marker.files.push(...paths);
  else for (const path of paths) marker.files[path] = "0".repeat(64);
  writeFileSync(file, JSON.stringify(marker, null, 2));
}

/** Runs fn with HOMELAB_PLAIN=1 (the stock libraries, no spare). */
function plainly<T>(fn: () => T): T {
  const before = process.env.HOMELAB_PLAIN;
  process.env.HOMELAB_PLAIN = "1";
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.HOMELAB_PLAIN;
    else process.env.HOMELAB_PLAIN = before;
  }
}

/** Runs synth; the UsageError it refused with, or undefined when it ran. */
function refusalOf(run: () => unknown): UsageError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

describe("synth knows its files by their content, not by a list anyone can edit", () => {
  it("a marker that lists the user's files (a colleague's commit, a bad merge) deletes none of them, plain or not", () => {
    const out = join(scratch("marker-lists-user-files"), "dist");
    synthTo(out);
    const stack = join(out, "terraform", "stacks", "homelab");
    writeFileSync(join(stack, "terraform.tfvars"), 'token = "mine"\n');
    mkdirSync(join(stack, ".terraform", "providers"), { recursive: true });
    writeFileSync(join(stack, ".terraform", "providers", "p"), "binary");
    writeFileSync(join(out, "notes.md"), "mine");
    listInMarker(out, ["terraform/stacks/homelab/terraform.tfvars", "terraform/stacks/homelab/.terraform", "notes.md"]);
    synthTo(out);
    plainly(() => synthTo(out));
    expect(readFileSync(join(stack, "terraform.tfvars"), "utf8")).toBe('token = "mine"\n');
    expect(readFileSync(join(stack, ".terraform", "providers", "p"), "utf8")).toBe("binary");
    expect(readFileSync(join(out, "notes.md"), "utf8")).toBe("mine");
  });

  it("a marker entry outside the output is never read (check) nor touched (synth)", () => {
    const dir = scratch("marker-outside");
    const out = join(dir, "dist");
    synthTo(out);
    writeFileSync(join(dir, "outside.txt"), "secret outside");
    listInMarker(out, ["../outside.txt", "k8s/../../outside.txt", "/etc/hostname"]);
    expect([...readTree(out).values()].some((text) => text.includes("secret outside"))).toBe(false);
    synthTo(out);
    expect(readFileSync(join(dir, "outside.txt"), "utf8")).toBe("secret outside");
  });

  it("a file hardlinked to one outside the output is never written through", () => {
    const dir = scratch("hardlink-in");
    const out = join(dir, "dist");
    const outside = join(mkdtempSync(join(tmpdir(), "homelab-link-")), "outside.txt");
    writeFileSync(outside, "outside\n");
    synthTo(out);
    rmSync(join(out, "docs", "README.md"));
    linkSync(outside, join(out, "docs", "README.md"));
    for (let run = 0; run < 2; run++) {
      const refused = refusalOf(() => synthTo(out));
      expect(refused?.message).toMatch(/dist\/docs\/README\.md \(changed since synth wrote it\) is not synth's, but synth writes there now/);
    }
    expect(readFileSync(outside, "utf8")).toBe("outside\n");
  });

  it("a hardlinked backup of the output (cp -al, rsync --link-dest) and of the spare keeps its content", () => {
    const dir = scratch("hardlink-backup");
    const out = join(dir, "dist");
    const changed = writeSpec("hardlink-backup", { "apps.1.port": 8990 });
    synthTo(out);
    synthTo(out); // a spare now exists
    const backup = (from: string, name: string) => {
      const to = join(mkdtempSync(join(tmpdir(), "homelab-backup-")), name);
      for (const file of [...readTree(from).keys()]) {
        mkdirSync(join(to, file, ".."), { recursive: true });
        linkSync(join(from, file), join(to, file));
      }
      return to;
    };
    const backups = [backup(out, "dist"), backup(join(dir, ".dist.spare"), "spare")];
    const before = backups.map(snapshotFiles);
    synthTo(out, changed); // recycles the spare: changed files replaced, unchanged ones kept
    synthTo(out);
    expect(backups.map(snapshotFiles)).toEqual(before);
  });

  it("an unmarked folder with committed, locally edited files is refused, twice, and left as it is", () => {
    const repo = fakeRepository({ "myfolder/k8s/app.yaml": "kind: Mine\n", "myfolder/docs/README.md": "# mine\n" });
    writeFileSync(join(repo, "myfolder/k8s/app.yaml"), "kind: Mine\nedited: true\n");
    writeFileSync(join(repo, "myfolder/docs/README.md"), "# mine, edited\n");
    const before = snapshotFiles(join(repo, "myfolder"));
    for (let run = 0; run < 2; run++) {
      expect(() => synthesize({ clusterFile: referenceSpec, outDir: join(repo, "myfolder"), root: repo })).toThrow(/not written by synth/);
    }
    expect(snapshotFiles(join(repo, "myfolder"))).toEqual(before);
  });

  it("dist/ whose marker is gone: a tracked, locally edited file is neither removed nor overwritten", () => {
    const repo = fakeRepository({ "README.md": "# lab\n" });
    const out = join(repo, "dist");
    synthesize({ clusterFile: referenceSpec, outDir: out, root: repo });
    rmSync(join(out, ".synth-output.json"));
    execFileSync("git", ["add", "-A"], { cwd: repo });
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "dist"], { cwd: repo });
    writeFileSync(join(out, "k8s", "plex", "manifests.yaml"), "kind: EditedByHand\n");
    writeFileSync(join(out, "k8s", "plex", "extra.yaml"), "kind: Mine\n");
    const before = snapshotFiles(out);
    expect(refusalOf(() => synthesize({ clusterFile: referenceSpec, outDir: out, root: repo }))).toBeDefined();
    expect(snapshotFiles(out)).toEqual(before);
  });

  it("a directory at a path the marker lists is the user's: kept through synths, or refused where synth writes a file", () => {
    const out = join(scratch("dir-at-listed-path"), "dist");
    synthTo(out);
    mkdirSync(join(out, "mine"));
    writeFileSync(join(out, "mine", "notes.md"), "mine");
    listInMarker(out, ["mine"]);
    synthTo(out);
    synthTo(out);
    expect(readFileSync(join(out, "mine", "notes.md"), "utf8")).toBe("mine");
    rmSync(join(out, "ansible", "hosts.yaml"));
    mkdirSync(join(out, "ansible", "hosts.yaml"));
    writeFileSync(join(out, "ansible", "hosts.yaml", "notes.md"), "mine too");
    const refused = refusalOf(() => synthTo(out));
    expect(refused?.message).toMatch(/dist\/ansible\/hosts\.yaml \(a directory\) is not synth's, but synth writes there now; .*move it away/);
    expect(readFileSync(join(out, "ansible", "hosts.yaml", "notes.md"), "utf8")).toBe("mine too");
  });

  it("a file the user changed is refused where synth writes, named, with the fix; exit 2 from the command", () => {
    const out = join(scratch("changed-file"), "dist");
    synthTo(out);
    appendFileSync(join(out, "k8s", "plex", "manifests.yaml"), "# my note\n");
    const before = readFileSync(join(out, "k8s", "plex", "manifests.yaml"), "utf8");
    expect(refusalOf(() => synthTo(out))?.message).toMatch(/dist\/k8s\/plex\/manifests\.yaml \(changed since synth wrote it\)/);
    expect(readFileSync(join(out, "k8s", "plex", "manifests.yaml"), "utf8")).toBe(before);
  });
});

describe("scratch and lock names never collide with the user's folders", () => {
  it("a user's folders named like synth's scratch survive, and no scratch or lock leftovers pile up", () => {
    const dir = scratch("scratch-names");
    const out = join(dir, "dist");
    const users = [".dist.tmp-999999", ".dist.old-999999", ".dist.tmp-999999-0badc0de", ".dist.lock.notes"];
    for (const folder of users) {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, "mine.txt"), folder);
    }
    writeFileSync(join(dir, ".dist.lock.999999"), "999999\n"); // what a synth killed while locking leaves
    synthTo(out);
    mkdirSync(join(out, "k8s", "empty")); // holds nothing: goes with the old output, leaving nothing behind
    plainly(() => synthTo(out));
    synthTo(out);
    for (const folder of users) expect(readFileSync(join(dir, folder, "mine.txt"), "utf8")).toBe(folder);
    expect(readdirSync(dir).sort()).toEqual([...users, ".dist.spare", "dist"].sort());
  });

  it("a spare that is not provably synth's (a folder of the user's named .dist.spare) is left alone", () => {
    const dir = scratch("user-spare");
    const out = join(dir, "dist");
    mkdirSync(join(dir, ".dist.spare"));
    writeFileSync(join(dir, ".dist.spare", "mine.txt"), "mine");
    for (let run = 0; run < 3; run++) synthTo(out);
    expect(snapshotFiles(join(dir, ".dist.spare"))).toEqual(new Map([["mine.txt", "mine"]]));
  });
});

describe("no hang and no internal error on what sits at a listed path", () => {
  it("a FIFO at a listed path: synth (with its summary) refuses naming it, and check reads past it", () => {
    const dir = scratch("fifo");
    const out = join(dir, "dist");
    synthTo(out);
    rmSync(join(out, "k8s", "plex", "manifests.yaml"));
    execFileSync("mkfifo", [join(out, "k8s", "plex", "manifests.yaml")]);
    const result = runSynth(["--out", out], {}, root, root, 60_000);
    expect(result).toMatchObject({ status: 2, stderr: expect.stringMatching(/k8s\/plex\/manifests\.yaml \(not a regular file\) is not synth's/) });
    expect(readTree(out).has("k8s/plex/manifests.yaml")).toBe(false);
  });

  it("an immutable file in the spare: synth still runs, and says what it could not remove", () => {
    const dir = scratch("immutable");
    const out = join(dir, "dist");
    synthTo(out);
    synthTo(out);
    const stuck = join(dir, ".dist.spare", "ansible", "hosts.yaml");
    if (spawnSync("chattr", ["+i", stuck]).status !== 0) return; // not root, or no chattr: nothing to test here
    try {
      const changed = writeSpec("immutable", { "vms.3.ip": "10.10.10.69" });
      const first = synthesize({ clusterFile: changed, outDir: out, root });
      expect(first.warnings.join("\n")).toMatch(/could not be reused or removed \(E[A-Z]+\).*remove it yourself/);
      expect(readFileSync(join(out, "ansible", "hosts.yaml"), "utf8")).toContain("10.10.10.69");
      expect(synthTo(out).warnings).toEqual([]); // and the next runs go on as before
    } finally {
      for (const entry of readdirSync(dir)) spawnSync("chattr", ["-R", "-i", join(dir, entry)]);
    }
  });
});

describe("after a merge of two clones that both synthesized", () => {
  /** main and a branch each change the spec and synthesize; merging the branch stops on conflicts. `resolved`: the spec the user settles on. */
  const merged = (name: string, ours: Record<string, unknown>, theirs: Record<string, unknown>, resolved: Record<string, unknown>) => {
    const repo = makeRepo(name);
    writeFileSync(join(repo, "README.md"), `# lab\n\n<!-- BEGIN generated:inventory -->\nold\n<!-- END generated:inventory -->\n`);
    git(repo, "add", "README.md");
    git(repo, "commit", "-qm", "readme");
    git(repo, "checkout", "-qb", "other");
    commitSpecChange(repo, theirs, false); // synth refreshes the README's tables too
    git(repo, "checkout", "-q", "main");
    commitSpecChange(repo, ours, false);
    expect(spawnSync("git", ["merge", "-q", "other"], { cwd: repo }).status).toBe(1);
    // The user resolves the spec (when it conflicted) and leaves dist/ to synth.
    writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference(resolved));
    git(repo, "add", "cluster/homelab.yaml");
    return repo;
  };
  /** Both changed the same VM: its Terraform JSON, the docs' and the README's tables and the marker conflict. */
  const sameVm = (name: string) => merged(name, { "vms.3.memoryGiB": 48 }, { "vms.3.memoryGiB": 40 }, { "vms.3.memoryGiB": 44 });
  const freshOutput = (spec: string) => {
    const fresh = join(scratch(`merge-fresh-${process.pid}`), "dist");
    synthesize({ clusterFile: spec, outDir: fresh, root: join(fresh, "..") });
    return readTree(fresh);
  };

  it("synth regenerates the conflicted files (the README's generated tables too), names them, exits 0, and writes the merged spec's output", () => {
    const repo = sameVm("merge-same-vm");
    const unmerged = git(repo, "diff", "--name-only", "--diff-filter=U").split("\n");
    expect(unmerged).toEqual(expect.arrayContaining(["README.md", "dist/docs/README.md", "dist/terraform/stacks/homelab/cdk.tf.json"]));
    // The command, in-process (it crashed reading the conflicted JSON for its summary: exit 70).
    const out: string[] = [];
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation((text) => out.push(String(text)) > 0);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation((text) => out.push(String(text)) > 0);
    // The command turns stack traces off for its process: this worker gets them back.
    const traces = { limit: Error.stackTraceLimit, capture: Error.captureStackTrace, prepare: Error.prepareStackTrace };
    let status: number;
    try {
      status = synthCli(["--cluster", join(repo, "cluster", "homelab.yaml"), "--out", join(repo, "dist")], repo);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      Object.assign(Error, { stackTraceLimit: traces.limit, captureStackTrace: traces.capture, prepareStackTrace: traces.prepare });
    }
    expect(out.join("")).not.toContain("internal error");
    expect({ status, out: out.join("") }).toEqual({
      status: 0,
      out: expect.stringMatching(
        /regenerated what git left in conflict \(git add them to mark them resolved\): .*dist\/docs\/README\.md, dist\/terraform\/stacks\/homelab\/cdk\.tf\.json.*README\.md/,
      ),
    });
    const fresh = freshOutput(join(repo, "cluster", "homelab.yaml"));
    expect(readTree(join(repo, "dist"))).toEqual(fresh);
    expect(readFileSync(join(repo, "README.md"), "utf8")).toContain(fresh.get("docs/README.md")!.split("## Inventory\n\n")[1].split("\n\n")[0]);
  });

  it("regenerates a file git merged cleanly from two synths' versions, when only the marker conflicted", () => {
    const spec = { "vms.0.memoryGiB": 12, "vms.8.memoryGiB": 40 };
    const repo = merged("merge-far-vms", { "vms.0.memoryGiB": 12 }, { "vms.8.memoryGiB": 40 }, spec);
    const unmerged = git(repo, "diff", "--name-only", "--diff-filter=U").split("\n");
    expect(unmerged).toContain("dist/.synth-output.json");
    expect(unmerged.filter((path) => path.startsWith("dist/") && path !== "dist/.synth-output.json")).toEqual([]);
    synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: join(repo, "dist"), root: repo });
    expect(readTree(join(repo, "dist"))).toEqual(freshOutput(join(repo, "cluster", "homelab.yaml")));
  });
});

describe("a crash in the middle of the swap", () => {
  /** The state a synth killed between two renames of the swap leaves: its run file, its journal, its old output. */
  const deadSwap = (dir: string, out: string, userEntries: string[]) => {
    const dead = outputPaths(out, "999999999-0badc0de");
    writeFileSync(dead.run, JSON.stringify({ generator: "homelab-synth", pid: 999999999 }));
    writeFileSync(dead.journal, JSON.stringify({ generator: "homelab-synth", userEntries, ours: {} }));
    renameSync(out, dead.old);
    return dead;
  };

  it("after the new output is in place but before the user's files moved over: the next run moves them", () => {
    const dir = scratch("crash-window");
    const out = join(dir, "dist");
    synthTo(out);
    const stack = join(out, "terraform", "stacks", "homelab");
    mkdirSync(join(stack, ".terraform"), { recursive: true });
    writeFileSync(join(stack, ".terraform", "state"), "init");
    writeFileSync(join(stack, ".terraform.lock.hcl"), "# lock");
    // The crash: old output renamed aside by a dead run, a new complete output (without them) in place.
    deadSwap(dir, out, ["terraform/stacks/homelab/.terraform", "terraform/stacks/homelab/.terraform.lock.hcl"]);
    synthTo(join(dir, "fresh"));
    renameSync(join(dir, "fresh"), out);
    synthTo(out);
    expect(readFileSync(join(stack, ".terraform", "state"), "utf8")).toBe("init");
    expect(readFileSync(join(stack, ".terraform.lock.hcl"), "utf8")).toBe("# lock");
    expect(readdirSync(dir).filter((e) => /^\.dist\.(old|run|swap|tmp)-/.test(e))).toEqual([]);
  });

  it("between its two renames: the next run puts the old output back first", () => {
    const dir = scratch("crash-between");
    const out = join(dir, "dist");
    synthTo(out);
    const before = readTree(out);
    deadSwap(dir, out, []);
    expect(() =>
      synthTo(out, referenceSpec, () => {
        throw new Error("fail again");
      }),
    ).toThrow("fail again");
    expect(readTree(out)).toEqual(before);
  });
});

describe("property: synth leaves every file it did not write byte-identical, or refuses", () => {
  /** What a case does to an output synth wrote before the run under test. */
  const perturbations = [
    "user-files",
    "marker-lists-user-files",
    "marker-outside",
    "foreign-marker",
    "garbage-marker",
    "hardlink-in",
    "hardlink-out",
    "dir-at-written-path",
    "dir-at-listed-path",
    "fifo-at-written-path",
    "scratch-names",
    "merge-conflict",
  ] as const;
  type Perturbation = (typeof perturbations)[number];
  const benignPerturbations: readonly string[] = [
    "user-files",
    "marker-lists-user-files",
    "marker-outside",
    "hardlink-out",
    "dir-at-listed-path",
    "scratch-names",
    "merge-conflict",
  ];

  it("holds for random outputs: foreign and edited markers, hardlinks in and out, directories and FIFOs at listed paths, scratch-like names, merge conflicts, symlinks, nesting, the state directory", () => {
    // The cases live in a git repository of their own (the root synth writes in), so a merge conflict can be staged.
    const base = fakeRepository({ "README.md": "# lab\n" });
    const external = mkdtempSync(join(tmpdir(), "homelab-prop-"));
    writeFileSync(join(external, "x.txt"), "outside");
    const template = join(base, "template");
    synthesize({ clusterFile: referenceSpec, outDir: template, root: base });
    const templateFiles = readTree(template);
    rmSync(join(template, "..", ".template.spare"), { recursive: true, force: true });
    let n = 0;
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 0, max: 2 }),
          existing: fc.constantFrom("none", "empty", "symlink", "parent-symlink", "state", "synthesized", "synthesized", "synthesized"),
          perturbed: fc.subarray([...perturbations], { minLength: 1, maxLength: 3 }),
        }),
        ({ depth, existing, perturbed }) => {
          const dir = join(base, `case-${n++}`);
          mkdirSync(dir, { recursive: true });
          const out = join(dir, ...Array.from({ length: depth }, (_, i) => `d${i}`), "out");
          mkdirSync(join(out, ".."), { recursive: true });
          let spec = referenceSpec;
          const backup = join(external, `backup-${n}`);
          /** Files synth wrote (path relative to dir → content) that the case left as they were: synth may replace or delete them. */
          const synthWrote = new Set<string>();
          if (existing === "empty") mkdirSync(out);
          if (existing === "symlink") symlinkSync(external, out);
          if (existing === "parent-symlink") {
            rmSync(join(out, ".."), { recursive: true, force: true });
            symlinkSync(external, join(out, ".."));
          }
          if (existing === "state") spec = writeSpec(`prop-${n}`, { "terraform.backend.path": `${relative(base, out)}/lab.tfstate` });
          if (existing === "synthesized") {
            cpSync(template, out, { recursive: true });
            for (const file of templateFiles.keys()) synthWrote.add(relative(dir, join(out, file)));
            // The marker turned to garbage last: the other perturbations read it to add their paths.
            const ordered = [...perturbed].sort((a, b) => Number(a === "garbage-marker") - Number(b === "garbage-marker"));
            for (const what of ordered) perturb(what as Perturbation, out, dir, backup, synthWrote);
          }
          const before = snapshotFiles(dir);
          const beforeExternal = snapshotFiles(external);
          // Nothing of the user's in synth's way: synth must run (a merge conflict in its own files never stops it).
          const benign = existing === "synthesized" && perturbed.every((p) => benignPerturbations.includes(p));
          try {
            synthesize({ clusterFile: spec, outDir: out, root: base });
          } catch (error) {
            expect({ error: String(error), benign }).toEqual({ error: String(error), benign: false });
            expect(error instanceof UsageError || error instanceof SpecError).toBe(true);
            expect(snapshotFiles(dir)).toEqual(before);
            expect(snapshotFiles(external)).toEqual(beforeExternal);
            return;
          }
          const after = snapshotFiles(dir);
          for (const file of readTree(out).keys()) synthWrote.add(relative(dir, join(out, file)));
          for (const [file, content] of before) if (!synthWrote.has(file)) expect([file, after.get(file)]).toEqual([file, content]);
          expect(snapshotFiles(external)).toEqual(beforeExternal);
        },
      ),
      { numRuns: 20 },
    );

    function perturb(what: Perturbation, out: string, dir: string, backup: string, synthWrote: Set<string>) {
      const at = (file: string) => join(out, file);
      const claim = (file: string) => synthWrote.delete(relative(dir, at(file)));
      const marker = () => JSON.parse(readFileSync(at(".synth-output.json"), "utf8"));
      switch (what) {
        case "user-files":
          mkdirSync(at("terraform/stacks/homelab/.terraform"), { recursive: true });
          writeFileSync(at("terraform/stacks/homelab/.terraform/p"), "binary");
          writeFileSync(at("notes.md"), "mine");
          break;
        case "marker-lists-user-files":
          writeFileSync(at("terraform/stacks/homelab/terraform.tfvars"), "x = 1");
          listInMarker(out, ["terraform/stacks/homelab/terraform.tfvars", "notes-listed.md"]);
          writeFileSync(at("notes-listed.md"), "mine");
          break;
        case "marker-outside":
          writeFileSync(join(dir, "outside.txt"), "outside the output");
          listInMarker(out, ["../outside.txt", "../../outside.txt", "k8s/../../outside.txt"]);
          break;
        case "foreign-marker":
          writeFileSync(at(".synth-output.json"), JSON.stringify({ generator: "someone-else", files: Object.keys(marker().files) }));
          claim(".synth-output.json");
          break;
        case "garbage-marker":
          writeFileSync(at(".synth-output.json"), "{ not json");
          claim(".synth-output.json");
          break;
        case "hardlink-in": {
          const outside = join(dir, "..", `outside-${n}.txt`);
          writeFileSync(outside, "linked from inside the output");
          rmSync(at("ansible/hosts.yaml"), { force: true });
          linkSync(outside, at("ansible/hosts.yaml"));
          claim("ansible/hosts.yaml");
          break;
        }
        case "hardlink-out":
          for (const file of ["docs/README.md", "k8s/plex/manifests.yaml", ".synth-output.json"]) {
            if (!existsSync(at(file))) continue;
            mkdirSync(join(backup, file, ".."), { recursive: true });
            linkSync(at(file), join(backup, file));
          }
          break;
        case "dir-at-written-path":
          rmSync(at("k8s/plex/manifests.yaml"), { recursive: true, force: true });
          mkdirSync(at("k8s/plex/manifests.yaml"), { recursive: true });
          writeFileSync(at("k8s/plex/manifests.yaml/mine.txt"), "mine");
          claim("k8s/plex/manifests.yaml");
          break;
        case "dir-at-listed-path":
          mkdirSync(at("k8s/mine"), { recursive: true });
          writeFileSync(at("k8s/mine/notes.md"), "mine");
          listInMarker(out, ["k8s/mine"]);
          break;
        case "fifo-at-written-path":
          rmSync(at("docs/README.md"), { recursive: true, force: true });
          execFileSync("mkfifo", [at("docs/README.md")]);
          claim("docs/README.md");
          break;
        case "scratch-names":
          for (const name of [".out.tmp-999999", ".out.old-999999", ".out.spare", ".out.lock.notes", ".out.run-999999-0badc0de"]) {
            mkdirSync(join(out, "..", name), { recursive: true });
            writeFileSync(join(out, "..", name, "mine.txt"), name);
          }
          break;
        case "merge-conflict": {
          const file = "terraform/stacks/homelab/terraform.tfvars.example";
          if (!readRegular(at(file))) break;
          const path = relative(base, at(file));
          const blob = (text: string) => execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: base, input: text, encoding: "utf8" }).trim();
          const stages = [1, 2, 3].map((stage) => `100644 ${blob(`stage ${stage}\n`)} ${stage}\t${path}`).join("\n");
          execFileSync("git", ["update-index", "--index-info"], { cwd: base, input: `${stages}\n` });
          writeFileSync(at(file), "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> other\n");
          break;
        }
      }
    }
  }, 240_000);
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
