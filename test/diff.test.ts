// `npm run diff` against real git: dist/ on disk against HEAD:dist (no re-synth), a revision,
// or the rendered branch; git's headers and file line numbers; user-data shown once; colour on
// a terminal only; exit codes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { reportFailure } from "../scripts/lib/cli";
import { EnvironmentError, Refusal } from "../scripts/lib/command-errors";
import { keyedChanges } from "../scripts/lib/diff-change";
import { diffOutputs, renderDiff } from "../scripts/lib/output-diff";
import { stackOf } from "../scripts/lib/output-tree";
import { diffTerraformStack } from "../scripts/lib/terraform-diff";
import { publish } from "../scripts/lib/publish";
import { colourDiff, wantsColour } from "../scripts/lib/unified-patch";
import { UsageError } from "../scripts/lib/usage-error";
import { commitSpecChange, git, makeRepo, synthIn } from "./helpers/lab-repo";
import { overlayReference, root } from "./helpers/spec-fixture";
import { runScript } from "./helpers/tree";

const diff = (repo: string, ...args: string[]) => runScript("scripts/diff.ts", args, { NO_COLOR: "" }, repo);
/** Edits the spec and synthesizes, committing nothing: the README's review step. */
const editAndSynth = (repo: string, set: Record<string, unknown>) => {
  writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference(set));
  synthIn(repo);
};

describe("keyedChanges, the comparison the diffs share", () => {
  it("names what was added, removed or is not the same, sorted, with both sides", () => {
    const before = new Map([
      ["d", "2"],
      ["c", "x"],
      ["b", "1"],
    ]);
    const after = new Map([
      ["d", "3"],
      ["c", "X"],
      ["a", "1"],
    ]);
    expect(keyedChanges(before, after, (was, now) => was.toLowerCase() === now.toLowerCase())).toEqual([
      { kind: "added", name: "a", was: undefined, now: "1" },
      { kind: "removed", name: "b", was: "1", now: undefined },
      { kind: "changed", name: "d", was: "2", now: "3" },
    ]);
  });
});

describe("stackOf", () => {
  it("knows a stack by its cdk.tf.json only", () => {
    expect(stackOf("terraform/stacks/homelab/cdk.tf.json")).toBe("homelab");
    expect(["terraform/stacks/homelab/other.json", "terraform/stacks/a/b/cdk.tf.json", "x/terraform/stacks/a/cdk.tf.json"].map(stackOf)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("diffOutputs", () => {
  it("reports added, removed and changed objects per Argo CD application and Terraform resource", () => {
    const committed = new Map([
      [
        "k8s/plex/manifests.yaml",
        "kind: Deployment\nmetadata: {name: plex, namespace: media}\nreplicas: 1\n---\nkind: Service\nmetadata: {name: plex, namespace: media}\n",
      ],
      ["k8s/old/manifests.yaml", "kind: Service\nmetadata: {name: old, namespace: media}\n"],
      ["terraform/stacks/homelab/cdk.tf.json", JSON.stringify({ resource: { proxmox_virtual_environment_vm: { a_vm: { cores: 2 }, b_vm: { cores: 4 } } } })],
    ]);
    const fresh = new Map([
      [
        "k8s/plex/manifests.yaml",
        "kind: Deployment\nmetadata: {name: plex, namespace: media}\nreplicas: 2\n---\nkind: Service\nmetadata: {name: plex, namespace: media}\n---\nkind: HTTPRoute\nmetadata: {name: plex, namespace: media}\n",
      ],
      ["k8s/new/manifests.yaml", "kind: Service\nmetadata: {name: new, namespace: media}\n"],
      ["terraform/stacks/homelab/cdk.tf.json", JSON.stringify({ resource: { proxmox_virtual_environment_vm: { a_vm: { cores: 3 }, b_vm: { cores: 4 } } } })],
    ]);
    committed.set(".synth-output.json", '{"files":["k8s/old/manifests.yaml"]}');
    fresh.set(".synth-output.json", '{"files":["k8s/new/manifests.yaml"]}');
    const sections = diffOutputs(fresh, committed);
    const summary = sections.map((s) => [s.title, s.changes.map((c) => `${c.kind} ${c.name}`)]);
    expect(summary).toEqual([
      ["Argo CD application `new`", ["added Service media/new"]],
      ["Argo CD application `old`", ["removed Service media/old"]],
      ["Argo CD application `plex`", ["changed Deployment media/plex", "added HTTPRoute media/plex"]],
      ["Terraform stack `homelab`", ["changed proxmox_virtual_environment_vm.a_vm"]],
    ]);
    const text = renderDiff(sections);
    expect(text).toContain("--- a/k8s/plex/manifests.yaml\n+++ b/k8s/plex/manifests.yaml\n@@ -1,3 +1,3 @@ Deployment media/plex\n");
    expect(text).toContain("-replicas: 1\n+replicas: 2");
    // The route starts at line 8 of the new file; the old file had no such object.
    expect(text).toContain("@@ -0,0 +8,2 @@ HTTPRoute media/plex\n+kind: HTTPRoute");
    expect(text).toContain("--- /dev/null\n+++ b/k8s/new/manifests.yaml\n");
    expect(text).toContain("--- a/k8s/old/manifests.yaml\n+++ /dev/null\n");
    expect(text).toContain('-  "cores": 2\n+  "cores": 3');
  });

  it("colours only on a terminal, never with NO_COLOR, and only inside diff blocks", () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
    const coloured = colourDiff("- **changed** x\n\n```diff\n--- a/f\n+++ b/f\n@@ -1 +1 @@ x\n-old\n+new\n```\n");
    expect(coloured).toContain("- **changed** x\n"); // the bullet is not a removed line
    expect(coloured).toContain("\x1b[31m-old\x1b[m\n\x1b[32m+new\x1b[m");
    expect(coloured).toContain("\x1b[36m@@ -1 +1 @@\x1b[m x");
  });
});

describe("npm run diff", () => {
  const repo = makeRepo("diff-cli");

  it("shows an edited and synthesized spec against HEAD, without synthesizing itself, and exits 1", () => {
    expect(diff(repo)).toMatchObject({ status: 0, stdout: "No changes in dist/ against HEAD.\n", stderr: "" });
    // A note of the user's in dist/ is not synth's output: no change.
    writeFileSync(join(repo, "dist", "my-notes.txt"), "todo\n");
    expect(diff(repo)).toMatchObject({ status: 0, stdout: "No changes in dist/ against HEAD.\n" });
    writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference({ "apps.1.port": 8999 }));
    expect(diff(repo)).toMatchObject({ status: 0, stderr: expect.stringContaining("run `npm run synth` first") });
    synthIn(repo);
    const result = diff(repo);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("Argo CD application `sonarr`");
    expect(result.stdout).toMatch(/\n\+\s+- containerPort: 8999\n/);
    expect(result.stdout).not.toContain("\x1b["); // not a terminal
  });

  it("numbers hunks by their line in the file, under git's a/ and b/ headers", () => {
    const result = diff(repo);
    const file = "k8s/sonarr/manifests.yaml";
    const hunk = new RegExp(`--- a/${file}\\n\\+\\+\\+ b/${file}\\n@@ -\\d+,\\d+ \\+(\\d+),\\d+ @@ Deployment media/sonarr\\n (.*)\\n`).exec(result.stdout)!;
    expect(hunk).not.toBeNull();
    expect(readFileSync(join(repo, "dist", file), "utf8").split("\n")[Number(hunk[1]) - 1]).toBe(hunk[2]);
  });

  it("shows a VM's user-data once, under bootstrap/, and the snippet resource points there", () => {
    editAndSynth(repo, { "ssh.authorizedKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcZv9BBMCkJholIugp9S65qMGNoSJg8ESHuzI+xcATl tester@lab"] });
    const { stdout } = diff(repo);
    const vms = (parse(readFileSync(join(repo, "cluster", "homelab.yaml"), "utf8")) as { vms: unknown[] }).vms.length;
    const shown = stdout.split("\n").filter((line) => /^\+.*tester@lab/.test(line));
    expect(stdout.match(/^\+\+\+ b\/bootstrap\/.*\.user-data\.yaml$/gm)).toHaveLength(vms);
    expect(shown).toHaveLength(vms);
    expect(stdout).toContain(
      "- **changed** proxmox_virtual_environment_file.k3s_master_1_user_data_file: content changed, see bootstrap/k3s-master-1.user-data.yaml\n",
    );
    expect(stdout).not.toContain("#cloud-config");
  });

  it("compares with dist/ at a revision with --against", () => {
    git(repo, "checkout", "-q", "--", ".");
    commitSpecChange(repo, { "apps.1.port": 8999 });
    expect(diff(repo).status).toBe(0);
    const against = diff(repo, "--against", "HEAD~1");
    expect(against.status).toBe(1);
    expect(against.stdout).toContain("changes in dist/ against HEAD~1:");
    expect(against.stdout).toMatch(/\n\+\s+- containerPort: 8999\n/);
  });

  it("compares dist/k8s with the rendered branch with --rendered, the spec given by an absolute path", () => {
    const spec = ["--cluster", join(repo, "cluster", "homelab.yaml")];
    expect(diff(repo, "--rendered", ...spec)).toMatchObject({
      status: 2,
      stderr: "diff: no rendered branch 'rendered' yet (neither local nor origin/rendered); run `npm run publish` first\n",
    });
    publish({ cwd: repo });
    expect(diff(repo, "--rendered", ...spec)).toMatchObject({ status: 0, stdout: "No changes in dist/k8s against rendered:k8s.\n" });
    editAndSynth(repo, { "apps.2.port": 7879 });
    const rendered = runScript("scripts/diff.ts", ["--rendered", ...spec], {}, join(repo, "dist")); // from a subfolder
    expect(rendered.status).toBe(1);
    expect(rendered.stdout).toContain("Argo CD application `radarr`");
    expect(rendered.stdout).not.toContain("Terraform");
  });

  it("--help gives usage, flags and exit codes", () => {
    const help = diff(repo, "--help");
    expect(help.status).toBe(0);
    for (const text of ["usage: npm run diff", "--against <ref>", "--rendered", "--cluster <file>", "NO_COLOR", "exit codes: 0 ok; 1 changes"])
      expect(help.stdout).toContain(text);
  });

  it("exits 2 on usage errors, with one line", () => {
    expect(diff(repo, "--against", "no-such-ref")).toMatchObject({ status: 2, stderr: "diff: unknown git revision 'no-such-ref'\n" });
    expect(diff(repo, "--bogus")).toMatchObject({ status: 2, stderr: expect.stringMatching(/^diff: Unknown option '--bogus'.*--help\n$/) });
    expect(diff(repo, "--rendered", "--against", "HEAD")).toMatchObject({ status: 2 });
    expect(runScript("scripts/diff.ts", [], {}, "/")).toMatchObject({ status: 2, stderr: expect.stringContaining("is not inside a git repository") });
  });

  it("colours its output on a terminal", () => {
    const tty = spawnSync("script", ["-qec", `${process.execPath} ${join(root, "scripts", "run.cjs")} scripts/diff.ts`, "/dev/null"], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "" },
    });
    expect(tty.stdout).toContain("\x1b[32m+");
    const plain = spawnSync("script", ["-qec", `${process.execPath} ${join(root, "scripts", "run.cjs")} scripts/diff.ts`, "/dev/null"], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(plain.stdout).toContain("+");
    expect(plain.stdout).not.toContain("\x1b[");
  });
});

describe("npm run diff and a committed symlink", () => {
  it("names where a link points and never prints the file it points to (the pull request workflow posts this diff)", () => {
    const repo = makeRepo("diff-symlink");
    const outside = join(mkdtempSync(join(tmpdir(), "homelab-outside-")), "passwd");
    writeFileSync(outside, "root:x:0:0:outside-content\n");
    symlinkSync(outside, join(repo, "dist", "k8s", "plex", "evil.yaml"));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "a link");
    const against = diff(repo, "--against", "HEAD~1");
    expect(against.stdout).not.toContain("outside-content");
    expect(against.stdout).toContain(`(a symbolic link to ${outside}; not followed)`);
    // On disk against HEAD: the link now points elsewhere.
    rmSync(join(repo, "dist", "k8s", "plex", "evil.yaml"));
    symlinkSync("/etc/hostname", join(repo, "dist", "k8s", "plex", "evil.yaml"));
    const head = diff(repo);
    expect(head.stdout).toContain("(a symbolic link to /etc/hostname; not followed)");
    expect(head.stdout).not.toContain(readFileSync("/etc/hostname", "utf8").trim() || "no hostname");
    expect(head.stdout).not.toContain("outside-content");
  });
});

describe("exit codes of the workflow commands", () => {
  it("1 a refusal, 74 the machine (naming the path), through the commands' shared reportFailure", () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((text) => written.push(String(text)) > 0);
    try {
      const path = join(process.cwd(), "dist", "k8s", "a.yaml");
      const eacces = Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES", syscall: "open", path });
      const codes = [
        new Refusal("the working tree has uncommitted changes"),
        new EnvironmentError("git is not installed or not on PATH"),
        eacces,
        new UsageError("x"),
      ].map((e) => reportFailure("publish", e));
      expect(codes).toEqual([1, 74, 74, 2]);
      expect(written.slice(0, 3)).toEqual([
        "publish: the working tree has uncommitted changes\n",
        "publish: git is not installed or not on PATH\n",
        "publish: cannot open dist/k8s/a.yaml: permission denied (EACCES)\n",
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("the Terraform part of the diff", () => {
  const stack = (extra: Record<string, unknown>) =>
    JSON.stringify({ "//": { metadata: {} }, resource: { proxmox_pool: { lab: { pool_id: "lab" } } }, ...extra });
  it("shows changed data sources and import blocks, not only resources", () => {
    const before = stack({ data: { proxmox_version: { pve: { id: "v", lifecycle: { postcondition: [{ condition: "8.4.1" }] } } } } });
    const after = stack({
      data: { proxmox_version: { pve: { id: "v", lifecycle: { postcondition: [{ condition: "8.4.2" }] } } } },
      import: [{ to: "proxmox_storage_directory.bulk", id: "bulk" }],
    });
    const names = diffTerraformStack("terraform/stacks/lab/cdk.tf.json", before, after, new Set()).map((c) => `${c.kind} ${c.name}`);
    expect(names).toEqual(["changed data.proxmox_version.pve", "added import"]);
  });
});
