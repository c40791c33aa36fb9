// GitOps delivery against real git: publish to the rendered branch (plumbing only, one
// commit per change, none when unchanged, refusals that change nothing), diff, the
// pre-commit hook, the workflows and Renovate's managers.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { SpecError } from "../cluster/problems";
import { diffOutputs, renderDiff } from "../scripts/lib/output-diff";
import { publish } from "../scripts/lib/publish";
import { synthesize } from "../scripts/lib/synthesize";
import { UsageError } from "../scripts/lib/usage-error";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { runScript, scratch } from "./helpers/tree";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

/** A homelab repository of its own: the reference spec, its synthesized dist/, one commit, a bare remote. */
function makeRepo(name: string): string {
  const base = scratch(name);
  const repo = join(base, "lab");
  mkdirSync(join(repo, "cluster"), { recursive: true });
  copyFileSync(referenceSpec, join(repo, "cluster", "homelab.yaml"));
  writeFileSync(join(repo, ".gitignore"), ".synth-check-*/\n..synth-check-*\n");
  synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: join(repo, "dist"), root: repo });
  git(base, "init", "-q", "--bare", "-b", "main", "remote.git");
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.email", "test@example.invalid");
  git(repo, "config", "user.name", "test");
  git(repo, "config", "commit.gpgsign", "false");
  git(repo, "remote", "add", "origin", join(base, "remote.git"));
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "lab");
  return repo;
}

function commitSpecChange(repo: string, set: Record<string, unknown>) {
  writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference(set));
  synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: join(repo, "dist"), root: repo });
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "change");
}

const k8sFiles = (repo: string) =>
  readdirSync(join(repo, "dist", "k8s"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `k8s/${join(e.parentPath, e.name).slice(join(repo, "dist", "k8s").length + 1)}`)
    .sort();

describe("npm run publish", () => {
  const repo = makeRepo("publish");
  const state = () => ({ head: git(repo, "rev-parse", "HEAD"), branch: git(repo, "symbolic-ref", "HEAD"), status: git(repo, "status", "--porcelain"), index: git(repo, "write-tree") });

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

  it("pushes with --push, and a failed push leaves the branch as it was", () => {
    commitSpecChange(repo, { "apps.1.port": 8991 });
    publish({ cwd: repo, push: true });
    expect(git(join(repo, "..", "remote.git"), "rev-parse", "rendered")).toBe(git(repo, "rev-parse", "rendered"));
    const tip = git(repo, "rev-parse", "rendered");
    commitSpecChange(repo, { "apps.1.port": 8992 });
    expect(() => publish({ cwd: repo, push: true, remote: "nowhere" })).toThrow(/git push/);
    expect(git(repo, "rev-parse", "rendered")).toBe(tip);
  });

  it.each([
    ["a dirty working tree", (r: string) => writeFileSync(join(r, "cluster", "homelab.yaml"), "# edited\n" + readFileSync(join(r, "cluster", "homelab.yaml"), "utf8")), /uncommitted changes/],
    ["a detached HEAD", (r: string) => git(r, "checkout", "-q", "--detach"), /HEAD is detached/],
    ["a stale dist/", (r: string) => { writeFileSync(join(r, "dist/k8s/plex/manifests.yaml"), "stale: true\n"); git(r, "commit", "-q", "-am", "hand edit"); }, /dist\/ is stale \(dist\/k8s\/plex\/manifests\.yaml\)/],
  ])("refuses %s with one clear line and leaves the rendered branch as it was", (name, breakIt, message) => {
    const r = makeRepo(`publish-refuse-${String(name).replace(/\W+/g, "-")}`);
    publish({ cwd: r });
    const rendered = git(r, "rev-parse", "rendered");
    breakIt(r);
    expect(() => publish({ cwd: r })).toThrow(UsageError);
    expect(() => publish({ cwd: r })).toThrow(message);
    expect(git(r, "rev-parse", "rendered")).toBe(rendered);
  });

  it("refuses outside a git repository and without a rendered branch in the spec", () => {
    expect(() => publish({ cwd: "/" })).toThrow(/not inside a git repository/);
    const r = makeRepo("publish-no-branch");
    writeFileSync(join(r, "no-branch.yaml"), overlayReference({ "gitops.renderedBranch": "" }));
    expect(() => publish({ cwd: r, clusterFile: join(r, "no-branch.yaml") })).toThrow(SpecError);
    expect(() => publish({ cwd: r, clusterFile: join(r, "no-branch.yaml") })).toThrow(/gitops\.renderedBranch/);
  });
});

describe("npm run diff", () => {
  it("reports added, removed and changed objects per Argo CD application and Terraform resource", () => {
    const committed = new Map([
      ["k8s/plex/manifests.yaml", "kind: Deployment\nmetadata: {name: plex, namespace: media}\nreplicas: 1\n---\nkind: Service\nmetadata: {name: plex, namespace: media}\n"],
      ["k8s/old/manifests.yaml", "kind: Service\nmetadata: {name: old, namespace: media}\n"],
      ["terraform/stacks/homelab/cdk.tf.json", JSON.stringify({ resource: { proxmox_virtual_environment_vm: { a_vm: { cores: 2 }, b_vm: { cores: 4 } } } })],
    ]);
    const fresh = new Map([
      ["k8s/plex/manifests.yaml", "kind: Deployment\nmetadata: {name: plex, namespace: media}\nreplicas: 2\n---\nkind: Service\nmetadata: {name: plex, namespace: media}\n---\nkind: HTTPRoute\nmetadata: {name: plex, namespace: media}\n"],
      ["k8s/new/manifests.yaml", "kind: Service\nmetadata: {name: new, namespace: media}\n"],
      ["terraform/stacks/homelab/cdk.tf.json", JSON.stringify({ resource: { proxmox_virtual_environment_vm: { a_vm: { cores: 3 }, b_vm: { cores: 4 } } } })],
    ]);
    const sections = diffOutputs(fresh, committed);
    const summary = sections.map((s) => [s.title, s.changes.map((c) => `${c.kind} ${c.name}`)]);
    expect(summary).toEqual([
      ["Argo CD application `new`", ["added Service media/new"]],
      ["Argo CD application `old`", ["removed Service media/old"]],
      ["Argo CD application `plex`", ["changed Deployment media/plex", "added HTTPRoute media/plex"]],
      ["Terraform stack `homelab`", ["changed proxmox_virtual_environment_vm.a_vm"]],
    ]);
    const text = renderDiff(sections);
    expect(text).toContain("-replicas: 1\n+replicas: 2");
    expect(text).toContain('-  "cores": 2\n+  "cores": 3');
  });

  it("exits 0 with no change and 1 with changes, against dist/ or a git revision", () => {
    const repo = makeRepo("diff-cli");
    const clean = runScript("scripts/diff.ts", [], {}, repo);
    expect({ status: clean.status, out: clean.stdout }).toEqual({ status: 0, out: "No changes.\n" });
    commitSpecChange(repo, { "apps.1.port": 8999 });
    const against = runScript("scripts/diff.ts", ["--against", "HEAD~1"], {}, repo);
    expect(against.status).toBe(1);
    expect(against.stdout).toContain("Argo CD application `sonarr`");
    expect(against.stdout).toMatch(/\n\+\s+- containerPort: 8999\n/);
    // Against what Argo CD syncs: nothing published yet, then unchanged, then behind.
    expect(runScript("scripts/diff.ts", ["--rendered"], {}, repo)).toMatchObject({ status: 2, stderr: "diff: no rendered branch 'rendered' yet; run `npm run publish` first\n" });
    publish({ cwd: repo });
    expect(runScript("scripts/diff.ts", ["--rendered"], {}, repo)).toMatchObject({ status: 0, stdout: "No changes.\n" });
    commitSpecChange(repo, { "apps.2.port": 7879 });
    const rendered = runScript("scripts/diff.ts", ["--rendered"], {}, repo);
    expect(rendered.status).toBe(1);
    expect(rendered.stdout).toContain("Argo CD application `radarr`");
    expect(rendered.stdout).not.toContain("Terraform");
    const bad = runScript("scripts/diff.ts", ["--against", "no-such-ref"], {}, repo);
    expect({ status: bad.status, err: bad.stderr.trim() }).toEqual({ status: 2, err: "diff: unknown git revision 'no-such-ref'" });
  });
});

describe("pre-commit hook", () => {
  it("is installed by npm's prepare step and refuses a commit whose dist/ is stale", () => {
    const repo = makeRepo("hook");
    writeFileSync(join(repo, "package.json"), JSON.stringify({ private: true, scripts: { synth: `node ${join(root, "scripts", "run.cjs")} scripts/synth.ts --cluster cluster/homelab.yaml --out dist` } }));
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
  });
});

describe("CI workflows and Renovate", () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts);
  const workflows = readdirSync(join(root, ".github", "workflows")).filter((f) => f.endsWith(".yml"));

  it.each(workflows)("%s parses and only calls npm scripts that exist", (file) => {
    const workflow = parse(readFileSync(join(root, ".github", "workflows", file), "utf8"));
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    const runs = Object.values<any>(workflow.jobs).flatMap((job) => job.steps.map((s: any) => s.run ?? "")).join("\n");
    const called = [...runs.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(0);
    for (const script of called) expect(scripts).toContain(script);
    if (/npm test/.test(runs)) expect(scripts).toContain("test");
  });

  it("Renovate's managers find every pinned chart, image, the k3s release and the provider", () => {
    const renovate = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8"));
    const matches = (file: string) =>
      renovate.customManagers
        .filter((m: any) => m.managerFilePatterns.some((p: string) => new RegExp(p.slice(1, -1)).test(file)))
        .flatMap((m: any) => m.matchStrings.flatMap((s: string) => [...readFileSync(join(root, file), "utf8").matchAll(new RegExp(s, "g"))].map((x) => x.groups!)));
    for (const file of ["charts/platform/versions.ts", "charts/apps/app-images.ts"]) {
      const annotations = (readFileSync(join(root, file), "utf8").match(/\/\/ renovate:/g) ?? []).length;
      const found = matches(file);
      expect({ file, found: found.length }).toEqual({ file, found: annotations });
      for (const dep of found) expect(dep.currentValue).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
    const spec = matches("cluster/homelab.yaml");
    expect(spec.map((d: any) => d.currentValue)).toEqual(expect.arrayContaining(["1.42.1", "4.0.15", "v1.33.5+k3s1"]));
    expect(matches("cdktf.json")).toEqual([expect.objectContaining({ currentValue: "0.111.1" })]);
  });
});
