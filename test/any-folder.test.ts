// Every command behaves the same from any folder of the repository: its defaults (the spec in
// cluster/, the output in dist/) are the repository's; only paths the user types are relative to
// where they typed them. Run through real `npm run`, which starts scripts at the package root and
// says where it was run in INIT_CWD, in a copy of this repository that is a git clone of its own.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repositoryCopy } from "./helpers/repo-copy";

const repo = repositoryCopy("homelab-any-folder");
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
git("init", "-q", "-b", "main");
for (const [key, value] of [
  ["user.email", "test@example.invalid"],
  ["user.name", "test"],
  ["commit.gpgsign", "false"],
])
  git("config", key, value);

/** `npm run <script> -- args` typed in `folder` of the copy (plain runs: no snapshot to build). */
function npmRun(folder: string, script: string, ...args: string[]) {
  const result = spawnSync("npm", ["run", "-s", script, "--", ...args], {
    cwd: join(repo, folder),
    encoding: "utf8",
    env: { ...process.env, HOMELAB_PLAIN: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

it("synth from cluster/ writes the repository's dist/, not cluster/dist", () => {
  expect(npmRun("cluster", "synth", "--quiet")).toMatchObject({ status: 0, stderr: expect.not.stringMatching(/error/i) });
  expect(existsSync(join(repo, "dist", "terraform", "stacks", "homelab", "cdk.tf.json"))).toBe(true);
  expect(existsSync(join(repo, "cluster", "dist"))).toBe(false);
  expect(git("add", "-A").status).toBe(0);
  expect(git("commit", "-q", "--no-verify", "-m", "lab").status).toBe(0);
});

it("synth from the stack folder the README cd's into", () => {
  expect(npmRun("dist/terraform/stacks/homelab", "synth", "--quiet")).toMatchObject({ status: 0 });
  expect(existsSync(join(repo, "dist", "terraform", "stacks", "homelab", "dist"))).toBe(false);
  expect(git("status", "--porcelain").stdout).toBe("");
});

it("check from the stack folder reads the repository's spec and dist/", () => {
  const result = npmRun("dist/terraform/stacks/homelab", "check");
  expect(result).toMatchObject({ status: 0, stdout: expect.stringMatching(/^check: dist passes/m) });
});

it("takes typed paths relative to the folder they were typed in", () => {
  expect(npmRun("cluster", "check", "--out", "dist")).toMatchObject({ status: 2, stderr: expect.stringContaining("--out cluster/dist is not a directory") });
});

it("diff from docs/", () => {
  expect(npmRun("docs", "diff")).toMatchObject({ status: 0, stdout: "No changes in dist/ against HEAD.\n" });
});

it("publish from cluster/", () => {
  const result = npmRun("cluster", "publish");
  expect(result).toMatchObject({ status: 0, stdout: expect.stringMatching(/^publish: \d+ files of \w+ → rendered /) });
});

it("pin-image from docs/ pins the repository's spec", () => {
  expect(npmRun("docs", "pin-image")).toMatchObject({
    status: 0,
    stdout: "../cluster/homelab.yaml: no cloud image to pin (template.source is not cloud-image)\n",
  });
});

it("seal from docs/ lists what the repository's spec takes", () => {
  expect(npmRun("docs", "seal", "--list")).toMatchObject({ status: 0, stdout: expect.stringContaining("CLOUDFLARE_API_TOKEN") });
});
