// GitOps delivery against real git (a bare remote and clones of it): publish to the rendered
// branch (plumbing only, one commit per change, none when unchanged, refusals that change
// nothing, never onto a source branch, from any clone), the pre-commit hook, the workflows and
// Renovate's managers.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { branchNameProblem } from "../cluster/schema-formats";
import { publish, renderedRoot } from "../scripts/lib/publish";
import { Refusal } from "../scripts/lib/command-errors";
import { secretFindings } from "../scripts/lib/check/secret-gate";
import { cloneOf, commitSpecChange, git, makeRepo, remoteOf } from "./helpers/lab-repo";
import { alnum, knownFormatSamples, randomText } from "./helpers/secret-samples";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";

const k8sFiles = (repo: string) =>
  readdirSync(join(repo, "dist", "k8s"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `k8s/${join(e.parentPath, e.name).slice(join(repo, "dist", "k8s").length + 1)}`)
    .sort();
const renderedFiles = (repo: string, ref = "rendered") => git(repo, "ls-tree", "-r", "--name-only", ref).split("\n").sort();

describe("npm run publish", () => {
  const repo = makeRepo("publish");
  const state = () => ({
    head: git(repo, "rev-parse", "HEAD"),
    branch: git(repo, "symbolic-ref", "HEAD"),
    status: git(repo, "status", "--porcelain"),
    index: git(repo, "write-tree"),
  });

  it("creates the rendered branch with exactly dist/k8s and a README naming the source commit", () => {
    const before = state();
    const result = publish({ cwd: repo });
    expect(result.commit).toBeDefined();
    expect(git(repo, "ls-tree", "-r", "--name-only", "rendered").split("\n").sort()).toEqual(["README.md", ...k8sFiles(repo)].sort());
    expect(git(repo, "show", "rendered:README.md")).toContain(`from commit ${before.head}`);
    expect(git(repo, "log", "-1", "--format=%B", "rendered")).toContain(`Source commit: ${before.head}`);
    expect(git(repo, "show", "rendered:k8s/plex/manifests.yaml")).toBe(readFileSync(join(repo, "dist/k8s/plex/manifests.yaml"), "utf8").trimEnd());
    expect(state()).toEqual(before); // working tree, index and current branch untouched
  });

  it("makes no commit when the rendered content is unchanged", () => {
    const tip = git(repo, "rev-parse", "rendered");
    git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated");
    expect(publish({ cwd: repo }).commit).toBeUndefined();
    expect(git(repo, "rev-parse", "rendered")).toBe(tip);
  });

  it("makes exactly one commit, naming the new source commit, when the manifests change", () => {
    const tip = git(repo, "rev-parse", "rendered");
    commitSpecChange(repo, { "apps.1.port": 8990 });
    const source = git(repo, "rev-parse", "HEAD");
    const result = publish({ cwd: repo });
    expect(git(repo, "rev-list", "--count", `${tip}..rendered`)).toBe("1");
    expect(git(repo, "rev-parse", "rendered^")).toBe(tip);
    expect(git(repo, "log", "-1", "--format=%s", "rendered")).toBe(`Render ${source.slice(0, 12)}`);
    expect(result.commit).toBe(git(repo, "rev-parse", "rendered"));
  });

  it("pushes with --push, and pushes a plain publish's commit when the remote is behind", () => {
    commitSpecChange(repo, { "apps.1.port": 8991 });
    publish({ cwd: repo, push: true });
    expect(git(remoteOf(repo), "rev-parse", "rendered")).toBe(git(repo, "rev-parse", "rendered"));
    commitSpecChange(repo, { "apps.1.port": 8992 });
    expect(publish({ cwd: repo }).pushed).toBe(false);
    // Nothing new to commit, but the remote lacks the last commit: push it.
    const again = publish({ cwd: repo, push: true });
    expect({ commit: again.commit, pushed: again.pushed }).toEqual({ commit: undefined, pushed: true });
    expect(git(remoteOf(repo), "rev-parse", "rendered")).toBe(git(repo, "rev-parse", "rendered"));
  });

  it.each([
    [
      "a dirty working tree",
      (r: string) => writeFileSync(join(r, "cluster", "homelab.yaml"), "# edited\n" + readFileSync(join(r, "cluster", "homelab.yaml"), "utf8")),
      /uncommitted changes/,
    ],
    ["a detached HEAD", (r: string) => git(r, "checkout", "-q", "--detach"), /HEAD is detached/],
    [
      "a stale dist/",
      (r: string) => {
        writeFileSync(join(r, "dist/k8s/plex/manifests.yaml"), "stale: true\n");
        git(r, "commit", "-q", "-am", "hand edit");
      },
      /dist\/ is stale \(dist\/k8s\/plex\/manifests\.yaml\)/,
    ],
  ])("refuses %s with one clear line and leaves the rendered branch as it was", (name, breakIt, message) => {
    const r = makeRepo(`publish-refuse-${String(name).replace(/\W+/g, "-")}`);
    publish({ cwd: r });
    const rendered = git(r, "rev-parse", "rendered");
    breakIt(r);
    const refused = (() => {
      try {
        publish({ cwd: r });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Error).message).toMatch(message);
    expect(git(r, "rev-parse", "rendered")).toBe(rendered);
  });

  it("refuses to run on the rendered branch itself, with one line that says so", () => {
    if (spawnSync("git", ["rev-parse", "--verify", "-q", "rendered"], { cwd: repo }).status !== 0) publish({ cwd: repo }); // run alone
    git(repo, "checkout", "-q", "rendered");
    try {
      const tip = git(repo, "rev-parse", "rendered");
      const message = "you are on the rendered branch rendered; publish from your source branch";
      expect(() => publish({ cwd: repo })).toThrow(new Refusal(message));
      // Also with a spec to read (--cluster), whose renderedBranch is the branch checked out.
      writeFileSync(join(repo, "..", "spec.yaml"), overlayReference({}));
      expect(() => publish({ cwd: repo, clusterFile: join(repo, "..", "spec.yaml") })).toThrow(new Refusal(message));
      expect(git(repo, "rev-parse", "rendered")).toBe(tip);
    } finally {
      git(repo, "checkout", "-q", "main");
    }
  });

  it("refuses outside a git repository and without a rendered branch in the spec", () => {
    expect(() => publish({ cwd: "/" })).toThrow(/not inside a git repository/);
    const r = makeRepo("publish-no-branch");
    writeFileSync(join(r, "no-branch.yaml"), overlayReference({ "gitops.renderedBranch": "" }));
    expect(() => publish({ cwd: r, clusterFile: join(r, "no-branch.yaml") })).toThrow(SpecError);
    expect(() => publish({ cwd: r, clusterFile: join(r, "no-branch.yaml") })).toThrow(/gitops\.renderedBranch/);
  });
});

describe("npm run publish from more than one clone", () => {
  it("builds on the remote's rendered branch, so a second clone's --push is a fast-forward", () => {
    const a = makeRepo("clones");
    const first = publish({ cwd: a, push: true }).commit!;
    const b = cloneOf(a, "second");
    commitSpecChange(b, { "apps.1.port": 8993 });
    git(b, "push", "-q", "origin", "main");
    const second = publish({ cwd: b, push: true });
    expect(second.pushed).toBe(true);
    expect(git(remoteOf(a), "rev-parse", "rendered")).toBe(second.commit);
    expect(git(remoteOf(a), "rev-parse", "rendered^")).toBe(first);
    // The first clone, behind on the rendered branch too, catches up the same way.
    git(a, "pull", "-q", "--ff-only", "origin", "main");
    commitSpecChange(a, { "apps.1.port": 8994 });
    const third = publish({ cwd: a, push: true });
    expect(git(remoteOf(a), "rev-parse", "rendered^")).toBe(second.commit);
    expect(git(a, "rev-parse", "rendered")).toBe(third.commit);
  });

  it("refuses to publish a source that lacks the commit the remote's rendered branch was published from", () => {
    const a = makeRepo("clones-behind");
    const b = cloneOf(a, "second");
    commitSpecChange(b, { "apps.1.port": 8995 });
    git(b, "push", "-q", "origin", "main");
    publish({ cwd: b, push: true });
    const tip = git(remoteOf(a), "rev-parse", "rendered");
    commitSpecChange(a, { "apps.2.port": 7870 }, false); // a never pulled b's change: publishing would undo it
    expect(() => publish({ cwd: a, push: true })).toThrow(/rendered was published from [0-9a-f]{12}, which HEAD does not contain; pull/);
    expect(git(remoteOf(a), "rev-parse", "rendered")).toBe(tip);
    // --force: the operator means it; still a fast-forward.
    expect(publish({ cwd: a, push: true, force: true }).pushed).toBe(true);
    expect(git(remoteOf(a), "rev-parse", "rendered^")).toBe(tip);
  });

  it("a push the remote rejects leaves every ref as it was", () => {
    const a = makeRepo("push-rejected");
    publish({ cwd: a, push: true });
    const b = cloneOf(a, "second");
    commitSpecChange(b, { "apps.1.port": 8996 });
    git(b, "push", "-q", "origin", "main");
    publish({ cwd: b, push: true }); // a's local rendered is now behind the remote
    git(a, "pull", "-q", "--ff-only", "origin", "main");
    commitSpecChange(a, { "apps.1.port": 8997 });
    const before = git(a, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads");
    writeFileSync(join(remoteOf(a), "hooks", "pre-receive"), "#!/bin/sh\necho 'rendered is frozen' >&2\nexit 1\n", { mode: 0o755 });
    expect(() => publish({ cwd: a, push: true })).toThrow(/push to origin failed.*rendered is frozen/s);
    expect(git(a, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")).toBe(before);
  });

  it("without --push, builds on the local branch when the remote cannot be reached, and says so; with --push, refuses", () => {
    const a = makeRepo("unreachable");
    // origin stays the repository Argo CD reads; git now finds it nowhere.
    git(a, "config", "--remove-section", `url.${remoteOf(a)}`);
    git(a, "config", `url.${join(a, "..", "no-such-remote.git")}.insteadOf`, git(a, "config", "--get", "remote.origin.url"));
    const result = publish({ cwd: a });
    expect(result.commit).toBeDefined();
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^cannot reach origin \(.*no-such-remote\.git\): '.*no-such-remote\.git' does not appear to be a git repository; built on the local branch only$/,
      ),
    ]);
    commitSpecChange(a, { "apps.1.port": 8980 }, false);
    expect(() => publish({ cwd: a, push: true, force: true })).toThrow(/^cannot reach origin/);
    expect(() => publish({ cwd: a, push: true, remote: "nowhere" })).toThrow(/there is no git remote 'nowhere'/);
    expect(git(a, "rev-parse", "rendered")).toBe(result.commit);
  });

  it("pushes only to the repository Argo CD reads, unless --remote names another on purpose", () => {
    const a = makeRepo("elsewhere");
    // A fork of the template: origin is the owner's repository, gitops.repoUrl still the template's.
    git(a, "config", "--remove-section", `url.${remoteOf(a)}`);
    git(a, "remote", "set-url", "origin", remoteOf(a));
    const mismatch = `origin is ${remoteOf(a)}, not the repository Argo CD reads (gitops.repoUrl https://github.com/alexandrekm/k3s-home-lab.git)`;
    expect(() => publish({ cwd: a, push: true })).toThrow(
      new Refusal(`${mismatch}; set gitops.repoUrl to the repository Argo CD should read, or pass --remote origin to push there on purpose`),
    );
    expect(git(a, "ls-remote", "--heads", "origin", "rendered")).toBe("");
    expect(publish({ cwd: a }).warnings).toEqual([`${mismatch}: Argo CD will not see this branch there`]);
    const onPurpose = publish({ cwd: a, push: true, remote: "origin" });
    expect(onPurpose).toMatchObject({ pushed: true, warnings: [`${mismatch}: Argo CD will not see this branch there`] });
  });

  it("lists the files someone else added to the rendered branch when publishing removes them", () => {
    const a = makeRepo("foreign-files");
    publish({ cwd: a, push: true });
    const b = cloneOf(a, "second");
    git(b, "checkout", "-q", "rendered");
    mkdirSync(join(b, "k8s", "hand-made"), { recursive: true });
    writeFileSync(join(b, "k8s", "hand-made", "cm.yaml"), "kind: ConfigMap\n");
    git(b, "add", "-A");
    git(b, "commit", "-q", "-m", "by hand");
    git(b, "push", "-q", "origin", "rendered");
    commitSpecChange(a, { "apps.1.port": 8998 });
    const result = publish({ cwd: a, push: true });
    expect(result.removedForeign).toEqual(["k8s/hand-made/cm.yaml"]);
    expect(renderedFiles(a)).not.toContain("k8s/hand-made/cm.yaml");
  });
});

describe("publish writes rendered output only, onto a rendered branch only", () => {
  it("refuses a source branch as its target (renderedBranch: main, published from a feature branch)", () => {
    const r = makeRepo("source-target", overlayReference({ "gitops.renderedBranch": "main" }));
    git(r, "checkout", "-q", "-b", "feature");
    const main = git(r, "rev-parse", "main");
    expect(() => publish({ cwd: r, push: true })).toThrow(Refusal);
    expect(() => publish({ cwd: r })).toThrow(
      /branch main holds files that are not rendered output \(\.gitignore, cluster\/homelab\.yaml, dist\/[^,]+, …\); set gitops\.renderedBranch to a branch of its own/,
    );
    expect(git(r, "rev-parse", "main")).toBe(main);
    expect(git(remoteOf(r), "for-each-ref", "--format=%(refname) %(objectname)")).toBe(`refs/heads/main ${main}`);
  });

  it("with --push, refuses a source commit the remote does not have (every other clone would be refused after it)", () => {
    const r = makeRepo("source-not-pushed");
    commitSpecChange(r, { "apps.1.port": 8970 }, false);
    expect(() => publish({ cwd: r, push: true })).toThrow(/is on no branch of origin yet; push your source branch first/);
    expect(git(remoteOf(r), "for-each-ref", "refs/heads/rendered")).toBe("");
    git(r, "push", "-q", "origin", "main");
    expect(publish({ cwd: r, push: true }).pushed).toBe(true);
  });

  it("publishes the committed dist/k8s, never gitignored or uncommitted files beside it", () => {
    const r = makeRepo("committed-only");
    mkdirSync(join(r, "dist/k8s/plex/.terraform/providers"), { recursive: true });
    writeFileSync(join(r, "dist/k8s/plex/.terraform/providers/secret"), "not rendered output\n");
    writeFileSync(join(r, "dist/k8s/plex/local.tfvars"), 'token = "x"\n');
    publish({ cwd: r });
    expect(renderedFiles(r)).toEqual(["README.md", ...k8sFiles(r).filter((f) => !/\.terraform|tfvars/.test(f))].sort());
    expect(renderedFiles(r).filter((f) => /\.terraform|tfvars/.test(f))).toEqual([]);
  });

  const badPaths = ["..", ".", ".git/hooks", ".git", "k8s/../..", "./k8s", "k8s/.", "k8s/.git/x", "/k8s", "k8s/"];
  it.each(badPaths)("rejects gitops.path %p in the spec, with the fix", (path) => {
    expect(() => parseCluster(overlayReference({ "gitops.path": path }), "homelab.yaml")).toThrow(
      /gitops\.path.*a folder inside the rendered branch such as k8s/,
    );
  });

  it.each(badPaths)("refuses gitops.path %p in publish too (defence in depth)", (path) => {
    expect(() => renderedRoot(path)).toThrow(/gitops\.path/);
  });

  it("accepts nested rendered paths and publishes under them", () => {
    expect(renderedRoot("clusters/lab")).toEqual(["clusters", "lab"]);
    const r = makeRepo("nested-path", overlayReference({ "gitops.path": "clusters/lab" }));
    publish({ cwd: r });
    expect(renderedFiles(r)).toEqual(["README.md", ...k8sFiles(r).map((f) => f.replace(/^k8s\//, "clusters/lab/"))].sort());
    git(r, "commit", "-q", "--allow-empty", "-m", "unrelated");
    expect(publish({ cwd: r }).commit).toBeUndefined();
  });
});

describe("publish decides what is its rendered branch by what publish made, and names only branches of their own", () => {
  it("writes only onto a branch of its own: never a source branch whose tip's message names a source commit, a remote's or a tag's name", () => {
    const r = makeRepo("not-its-own");
    const first = git(r, "rev-parse", "HEAD");
    git(r, "checkout", "-q", "-b", "develop");
    writeFileSync(join(r, "notes.md"), "work in progress\n");
    git(r, "add", "notes.md");
    git(r, "commit", "-q", "-m", `wip\n\nSource commit: ${first}\n`); // a message proves nothing
    const develop = git(r, "rev-parse", "develop");
    git(r, "checkout", "-q", "main");
    commitSpecChange(r, { "gitops.renderedBranch": "develop" });
    expect(() => publish({ cwd: r, push: true })).toThrow(/branch develop holds files that are not rendered output/);
    expect(git(r, "rev-parse", "develop")).toBe(develop);
    expect(git(remoteOf(r), "for-each-ref", "--format=%(refname)", "refs/heads/develop")).toBe("");
    // Names that would shadow another ref of this clone: no ref is created.
    const refs = () => git(r, "for-each-ref", "--format=%(refname)");
    git(r, "remote", "add", "upstream", remoteOf(r));
    git(r, "tag", "lab-rendered");
    const before = refs();
    writeFileSync(join(r, "..", "upstream.yaml"), overlayReference({ "gitops.renderedBranch": "upstream/rendered" }));
    expect(() => publish({ cwd: r, clusterFile: join(r, "..", "upstream.yaml") })).toThrow(/would shadow the branches of remote upstream/);
    writeFileSync(join(r, "..", "tag.yaml"), overlayReference({ "gitops.renderedBranch": "lab-rendered" }));
    expect(() => publish({ cwd: r, clusterFile: join(r, "..", "tag.yaml") })).toThrow(/'lab-rendered' is also a tag/);
    expect(refs()).toBe(before);
  });

  const badBranches = ["a..b", "x.lock", "/x", "x/", ".hidden", "a/.b", "x.", "origin/main", "HEAD", "--force", "-x", "refs/heads/x"];
  it("accepts as a rendered branch only names real git accepts as branch names (git check-ref-format --branch)", () => {
    const names = [
      ...badBranches,
      "rendered",
      "lab/rendered",
      "a.b",
      "a_b-c",
      "x.lock.y",
      "a//b",
      "@",
      "a@{b}",
      "a b",
      "a~b",
      "a^b",
      "a:b",
      "a?b",
      "a*b",
      "a[b",
      "a\\b",
      "x.lock/y",
      "v1.2",
    ];
    for (const name of names) {
      const git = spawnSync("git", ["check-ref-format", "--branch", name], { encoding: "utf8" }).status === 0;
      const spec = branchNameProblem(name) === undefined;
      if (spec) expect({ name, git }).toEqual({ name, git: true });
    }
    expect(names.filter((name) => branchNameProblem(name) === undefined)).toEqual(["rendered", "lab/rendered", "a.b", "a_b-c", "x.lock.y", "v1.2"]);
  });
  it.each(badBranches)("rejects gitops.renderedBranch %p in the spec, naming the field", (branch) => {
    expect(() => parseCluster(overlayReference({ "gitops.renderedBranch": branch }), "homelab.yaml")).toThrow(
      /gitops\.renderedBranch: .*branch of its own that git accepts/,
    );
  });
});

describe("publish commits nothing the secret scan of npm run check would flag", () => {
  it("refuses, naming the file and what it looks like (never the value), and moves no branch", () => {
    const r = makeRepo("publish-secret-gate");
    const token = knownFormatSamples[0][1];
    // Check's own scan, on what publish would commit, where one file carries a token.
    const scan: typeof secretFindings = (files, cluster) =>
      secretFindings(
        [...files].map(([file, text]) => [file, file.endsWith("plex/manifests.yaml") ? `${text}# ${token}\n` : text] as const),
        cluster,
      );
    let refusal: unknown;
    try {
      publish({ cwd: r, secretScan: scan });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(Refusal);
    expect((refusal as Error).message).toMatch(
      /^publishing rendered would carry a credential \(the secret rule of npm run check\):\n {2}k8s\/plex\/manifests\.yaml line \d+: \[secret\] looks like GITHUB_TOKEN/,
    );
    expect((refusal as Error).message).not.toContain(token.slice(4, 14));
    expect(git(r, "for-each-ref", "refs/heads/rendered")).toBe("");
  });

  it("the gate's scan is check's own, with the spec's exemptions", () => {
    const file = [
      "k8s/app/manifests.yaml",
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: b }\ndata:\n  API_TOKEN: ${randomText(alnum, 32, 3)}\n`,
    ] as const;
    expect(secretFindings([file], parseCluster(overlayReference({}), "homelab.yaml"))).toEqual([
      expect.objectContaining({ file: "k8s/app/manifests.yaml", object: "ConfigMap/b/a#data.API_TOKEN", rule: "secret" }),
    ]);
    const exempted = parseCluster(
      overlayReference({ "check.exemptions": [{ rule: "secret", object: "ConfigMap/b/a", reason: "a public demo key, documented as such" }] }),
      "homelab.yaml",
    );
    expect(secretFindings([file], exempted)).toEqual([]);
  });
});

describe("Terraform's working files in dist/ are the user's", () => {
  const stack = "dist/terraform/stacks/homelab";
  const workFiles = (r: string) => {
    mkdirSync(join(r, stack, ".terraform/providers"), { recursive: true });
    writeFileSync(join(r, stack, ".terraform/providers/p"), "binary\n");
    writeFileSync(join(r, stack, ".terraform.lock.hcl"), "# lock\n");
    for (const file of ["terraform.tfvars", "lab.auto.tfvars", "lab.plan", "lab.tfplan"]) writeFileSync(join(r, stack, file), "x\n");
  };

  it("are gitignored, except the lock file and the tfvars example, which may be committed", () => {
    const ignored = (path: string) => spawnSync("git", ["check-ignore", "-q", "--no-index", path], { cwd: root }).status === 0;
    for (const file of [".terraform/providers/p", "terraform.tfvars", "lab.auto.tfvars", "lab.plan", "lab.tfplan"])
      expect({ file, ignored: ignored(`${stack}/${file}`) }).toEqual({ file, ignored: true });
    for (const file of [".terraform.lock.hcl", "terraform.tfvars.example"])
      expect({ file, ignored: ignored(`${stack}/${file}`) }).toEqual({ file, ignored: false });
  });

  it("neither make publish refuse nor reach the rendered branch, untracked or with the lock file committed", () => {
    const r = makeRepo("tf-work-files");
    workFiles(r);
    expect(publish({ cwd: r }).commit).toBeDefined();
    git(r, "add", `${stack}/.terraform.lock.hcl`);
    git(r, "commit", "-q", "-m", "lock file, as Terraform recommends");
    writeFileSync(join(r, stack, ".terraform.lock.hcl"), "# lock, upgraded\n"); // terraform init -upgrade
    expect(() => publish({ cwd: r })).not.toThrow();
    expect(renderedFiles(r).filter((f) => !f.startsWith("k8s/"))).toEqual(["README.md"]);
  });
});

const [program, launcher, ...rest] = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.publish as string).split(" ");

describe("npm run publish, the command", () => {
  // As `npm run publish` runs it (from the startup snapshot, built by the first run).
  const publishCli = (cwd: string, ...args: string[]) => {
    const result = spawnSync(program, [join(root, launcher), ...rest, ...args], { cwd, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it("--help gives usage, flags and exit codes; a bad flag exits 2 with one line", () => {
    const help = publishCli(root, "--help");
    expect(help.status).toBe(0);
    for (const text of ["usage: npm run publish", "--push", "--remote <name>", "--cluster <file>", "exit codes: 0"]) expect(help.stdout).toContain(text);
    expect(publishCli(root, "--bogus")).toMatchObject({ status: 2, stderr: expect.stringMatching(/^publish: Unknown option '--bogus'.*--help\n$/) });
  });

  it("says what it did, lists the foreign files it removed, and exits 1 on a refusal", () => {
    const a = makeRepo("publish-cli");
    const first = publishCli(a, "--push");
    expect(first.stdout).toMatch(/^publish: \d+ files of [0-9a-f]{12} → rendered [0-9a-f]{12}\npublish: pushed rendered to origin\n$/);
    expect(publishCli(a, "--push")).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^publish: rendered already has the \d+ files of [0-9a-f]{12}; no commit\n$/),
    });
    const b = cloneOf(a, "second");
    git(b, "checkout", "-q", "rendered");
    writeFileSync(join(b, "k8s", "extra.yaml"), "kind: ConfigMap\n");
    git(b, "add", "-A");
    git(b, "commit", "-q", "-m", "by hand");
    git(b, "push", "-q", "origin", "rendered");
    commitSpecChange(a, { "apps.1.port": 8981 });
    expect(publishCli(a, "--push").stdout).toContain("publish: removed 1 file that publish did not write (still in the branch's history):\n  k8s/extra.yaml\n");
    writeFileSync(join(a, "cluster", "homelab.yaml"), `# edited\n${readFileSync(join(a, "cluster", "homelab.yaml"), "utf8")}`);
    expect(publishCli(a)).toMatchObject({ status: 1, stdout: "", stderr: expect.stringMatching(/^publish: the working tree has uncommitted changes/) });
  });
});

describe("npm run publish from its startup snapshot", () => {
  it("runs package.json's publish command from any folder, building the snapshot once", () => {
    const r = makeRepo("publish-snapshot");
    const run = () => spawnSync(program, [join(root, launcher), ...rest, "--push"], { cwd: join(r, "dist"), encoding: "utf8" });
    expect(run()).toMatchObject({
      status: 0,
      stderr: "",
      stdout: expect.stringMatching(/^publish: \d+ files of [0-9a-f]{12} → rendered [0-9a-f]{12}\npublish: pushed rendered to origin\n$/),
    });
    const blob = readdirSync(join(root, ".build")).find((f) => /^publish-v[\d.]+\.snapshot\.blob$/.test(f))!;
    const built = statSync(join(root, ".build", blob)).mtimeMs;
    expect(run()).toMatchObject({ status: 0, stdout: expect.stringContaining("no commit") });
    expect(statSync(join(root, ".build", blob)).mtimeMs).toBe(built); // not rebuilt: inputs are recorded relative to the repository
    expect(git(remoteOf(r), "rev-parse", "rendered")).toBe(git(r, "rev-parse", "rendered"));
  });
});

describe("pre-commit hook", () => {
  it("is installed by npm's prepare step and refuses a commit whose dist/ is stale", () => {
    const repo = makeRepo("hook");
    // This checkout's synth (from its startup snapshot); its output does not depend on the repository it writes into.
    writeFileSync(
      join(repo, "package.json"),
      JSON.stringify({ private: true, scripts: { synth: `sh ${join(root, "scripts", "synth.sh")} --cluster cluster/homelab.yaml --out dist` } }),
    );
    // dist/ as this repository's own synth writes it (paths in it are relative to the repository).
    execFileSync("npm", ["run", "-s", "synth", "--", "--quiet"], { cwd: repo });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "scripts");
    const hook = join(root, ".githooks", "pre-commit");
    const run = () => spawnSync("sh", [hook], { cwd: repo, encoding: "utf8" });
    expect(run().status).toBe(0);
    writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference({ "apps.1.port": 8998 }));
    const stale = run();
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("dist/ was stale and synth has rewritten it");
    expect(run().status).toBe(1); // still unstaged
    git(repo, "add", "-A");
    expect(run().status).toBe(0);
    expect(readFileSync(join(root, "package.json"), "utf8")).toContain('"prepare": "node scripts/install-hooks.cjs"');
    // After `terraform init` (an untracked lock file), and after `terraform init -upgrade` of a
    // committed one (in the other stack); a note of the user's in dist/ (synth keeps it) is theirs
    // to commit or not.
    git(repo, "commit", "-q", "-m", "port");
    const lock = join(repo, "dist/terraform/stacks/homelab/.terraform.lock.hcl");
    const committedLock = join(repo, "dist/terraform/stacks/homelab-access/.terraform.lock.hcl");
    writeFileSync(committedLock, "# lock\n");
    git(repo, "add", committedLock);
    git(repo, "commit", "-q", "-m", "lock");
    writeFileSync(committedLock, "# lock, upgraded\n");
    writeFileSync(lock, "# lock\n");
    writeFileSync(join(repo, "dist", "my-notes.txt"), "todo\n");
    expect(run()).toMatchObject({ status: 0, stderr: "" });
    // But not with a credential in it: what the commit would hold of dist/ passes check's secret scan.
    const token = knownFormatSamples[0][1];
    writeFileSync(join(repo, "dist", "my-notes.txt"), `todo: rotate ${token}\n`);
    git(repo, "add", "dist/my-notes.txt");
    const leaked = run();
    expect(leaked).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/^pre-commit: this commit would carry a credential .*\n {2}my-notes\.txt line 1: \[secret\] looks like GITHUB_TOKEN/),
    });
    expect(leaked.stderr).not.toContain(token.slice(4, 14));
    git(repo, "rm", "-q", "--cached", "dist/my-notes.txt");
    expect(run()).toMatchObject({ status: 0, stderr: "" });
    // But a file synth writes that was never added still blocks the commit.
    // Nothing stale: the hook says what is missing, not that synth rewrote anything.
    git(repo, "rm", "-q", "--cached", "dist/ansible/hosts.yaml");
    git(repo, "commit", "-q", "-m", "untrack");
    const unadded = run();
    expect(unadded.status).toBe(1);
    expect(unadded.stderr).toContain("synth's new files are not in the commit:\n  dist/ansible/hosts.yaml\n");
    expect(unadded.stderr).toContain("git add cluster dist README.md");
    expect(unadded.stderr).not.toContain("stale");
  });
});

describe("CI workflows and Renovate", () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts);
  const workflows = readdirSync(join(root, ".github", "workflows")).filter((f) => f.endsWith(".yml"));

  it.each(workflows)("%s parses and only calls npm scripts that exist", (file) => {
    const workflow = parse(readFileSync(join(root, ".github", "workflows", file), "utf8"));
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    const runs = Object.values<any>(workflow.jobs)
      .flatMap((job) => job.steps.map((s: any) => s.run ?? ""))
      .join("\n");
    const called = [...runs.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(0);
    for (const script of called) expect(scripts).toContain(script);
    if (/npm test/.test(runs)) expect(scripts).toContain("test");
  });

  it("the pull request's `dist/ is current` step fails when synth writes a file the branch lacks", () => {
    const step = parse(readFileSync(join(root, ".github", "workflows", "pull-request.yml"), "utf8")).jobs.check.steps.find(
      (s: any) => s.name === "dist/ is current",
    );
    const repo = makeRepo("pr-dist-current");
    writeFileSync(
      join(repo, "package.json"),
      JSON.stringify({ private: true, scripts: { synth: `sh ${join(root, "scripts", "synth.sh")} --cluster cluster/homelab.yaml --out dist` } }),
    );
    execFileSync("npm", ["run", "-s", "synth", "--", "--quiet"], { cwd: repo }); // dist/ as that synth writes it here
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "scripts");
    const run = () => spawnSync("bash", ["-e", "-c", step.run], { cwd: repo, encoding: "utf8" });
    expect(run().status).toBe(0);
    git(repo, "rm", "-q", "dist/k8s/plex/manifests.yaml"); // a change whose manifests were never added
    git(repo, "commit", "-q", "-m", "forgot a file");
    expect(run()).toMatchObject({ status: 1, stdout: expect.stringContaining("::error::dist/ is stale") });
  });

  it("Renovate's managers find every pinned chart, image, the k3s release and the providers", () => {
    const renovate = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8"));
    const matches = (file: string, text = readFileSync(join(root, file), "utf8")) =>
      renovate.customManagers
        .filter((m: any) => m.managerFilePatterns.some((p: string) => new RegExp(p.slice(1, -1)).test(file)))
        .flatMap((m: any) => m.matchStrings.flatMap((s: string) => [...text.matchAll(new RegExp(s, "g"))].map((x) => x.groups!)));
    for (const file of ["charts/platform/versions.ts", "charts/apps/app-images.ts"]) {
      const annotations = (readFileSync(join(root, file), "utf8").match(/\/\/ renovate:/g) ?? []).length;
      const found = matches(file);
      expect({ file, found: found.length }).toEqual({ file, found: annotations });
      // The NVIDIA driver branch is a bare major number (580): the <branch>-server packages.
      for (const dep of found) expect(dep.currentValue).toMatch(dep.datasource === "git-refs" ? /^\d+$/ : /^v?\d+\.\d+\.\d+$/);
    }
    // The spec's app images and k3s release, in block style (the reference lab) and flow style.
    const spec = matches("cluster/homelab.yaml", readFileSync(referenceSpec, "utf8"));
    expect(spec.map((d: any) => d.currentValue)).toEqual(expect.arrayContaining(["1.42.1", "4.0.15", "v1.33.5+k3s1"]));
    const flow = '  - { name: sonarr, image: lscr.io/linuxserver/sonarr:4.0.15, port: 8989 }\n  - { name: x, image: "ghcr.io/o/x:1.2.3" }\n';
    expect(matches("cluster/homelab.yaml", flow).map((d: any) => `${d.depName} ${d.currentValue}`)).toEqual([
      "lscr.io/linuxserver/sonarr 4.0.15",
      "ghcr.io/o/x 1.2.3",
    ]);
    expect(matches("cdktf.json")).toEqual([
      expect.objectContaining({ depName: "bpg/proxmox", currentValue: "0.111.1" }),
      expect.objectContaining({ depName: "hashicorp/random", currentValue: "3.7.2" }),
      expect.objectContaining({ depName: "hashicorp/tls", currentValue: "4.1.0" }),
    ]);
  });
});
