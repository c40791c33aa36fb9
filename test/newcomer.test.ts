// The newcomer's path, end to end against real repositories: clone the template, make it yours,
// synth, commit (through the pre-commit hook), publish; then a second clone, and two changes
// made at once whose synthesized output conflicts in the merge — synth's own output, which synth
// regenerates. Every step is the command the README gives.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir, root } from "./helpers/spec-fixture";
import { repositoryCopy } from "./helpers/repo-copy";

const template = repositoryCopy("homelab-newcomer");
const place = join(template, "..", `${template.split("/").pop()}-clones`);
afterAll(() => {
  for (const dir of [template, place]) rmSync(dir, { recursive: true, force: true });
});

// Plain runs (no startup snapshot to build in each clone), the hook included.
const env = {
  ...process.env,
  HOMELAB_PLAIN: "1",
  GIT_AUTHOR_NAME: "me",
  GIT_AUTHOR_EMAIL: "me@example.invalid",
  GIT_COMMITTER_NAME: "me",
  GIT_COMMITTER_EMAIL: "me@example.invalid",
};
const sh = (cwd: string, command: string, ...args: string[]) => {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const ok = (cwd: string, command: string, ...args: string[]) => {
  const result = sh(cwd, command, ...args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};
const npmRun = (cwd: string, script: string, ...args: string[]) => sh(cwd, "npm", "run", "-s", script, ...(args.length ? ["--", ...args] : []));

const myRepoUrl = "https://git.example.com/me/basement.git"; // the another-lab fixture's gitops.repoUrl
const mine = join(place, "mine.git");

/**
 * `npm ci` in a clone: the installed packages (linked; .gitignore's `node_modules/` matches no link)
 * and the hook. Plus the build cache of a clone that already ran the commands (`from`), so each
 * command's bundle is built once in this test, not once per clone: the sources are the same, and
 * a bundle whose sources differ is rebuilt anyway (scripts/bundle.cjs).
 */
function install(dir: string, from?: string) {
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".git", "info", "exclude"), "node_modules\n");
  ok(dir, "node", "scripts/install-hooks.cjs");
  if (from && existsSync(join(from, ".build"))) cpSync(join(from, ".build"), join(dir, ".build"), { recursive: true });
}

/** A clone of my repository as a second machine has it: installed, hooks on, origin my https URL. */
function cloneMine(name: string): string {
  const dir = join(place, name);
  ok(place, "git", "clone", "-q", mine, dir);
  install(dir, a);
  ok(dir, "git", "config", `url.${mine}.insteadOf`, myRepoUrl);
  ok(dir, "git", "remote", "set-url", "origin", myRepoUrl);
  return dir;
}

const edit = (repo: string, from: string, to: string) => {
  const spec = join(repo, "cluster", "homelab.yaml");
  const text = readFileSync(spec, "utf8");
  expect(text).toContain(from);
  writeFileSync(spec, text.replace(from, to));
};

let a = "";

it("clone, make it yours, synth, commit through the hook, publish", () => {
  // The template as its owner publishes it: this repository's files and the reference lab.
  ok(template, "git", "init", "-q", "-b", "main");
  ok(template, "npm", "run", "-s", "synth", "--", "--quiet");
  ok(template, "git", "add", "-A");
  ok(template, "git", "commit", "-q", "--no-verify", "-m", "template");
  ok(template, "git", "init", "-q", "--bare", "-b", "main", join(place, "template.git"));
  ok(template, "git", "push", "-q", join(place, "template.git"), "main");
  ok(place, "git", "init", "-q", "--bare", "-b", "main", mine);

  a = join(place, "a");
  ok(place, "git", "clone", "-q", join(place, "template.git"), a);
  install(a, template);
  ok(a, "git", "config", `url.${mine}.insteadOf`, myRepoUrl);
  ok(a, "git", "remote", "set-url", "origin", myRepoUrl);
  writeFileSync(join(a, "cluster", "homelab.yaml"), readFileSync(join(fixturesDir, "valid", "another-lab.yaml"), "utf8"));

  expect(npmRun(a, "synth")).toMatchObject({ status: 0, stdout: expect.stringMatching(/^synth basement: 1 stack, /) });
  ok(a, "git", "add", "cluster", "dist", "README.md");
  ok(a, "git", "commit", "-q", "-m", "my lab"); // the hook synthesizes again: nothing stale
  expect(ok(a, "git", "status", "--porcelain")).toBe("");
  expect(readFileSync(join(a, "README.md"), "utf8")).toContain("cd dist/terraform/stacks/basement\n");
  ok(a, "git", "push", "-q", "origin", "main");
  expect(npmRun(a, "publish", "--push")).toMatchObject({ status: 0, stdout: expect.stringMatching(/→ deploy /) });
  expect(ok(a, "git", "ls-remote", "--heads", "origin", "deploy")).toMatch(/refs\/heads\/deploy/);
});

it("two clones change the lab at once: the merge's conflicts in synth's output are synth's to resolve", () => {
  const b = cloneMine("b");
  // Two edits far apart in the spec (git merges it) that both change kured's line of the README's
  // platform table and its values (git cannot merge those): its window, and the lab's time zone.
  edit(b, "platform:\n", 'platform:\n  kured: { startTime: "01:00" }\n');
  expect(npmRun(b, "synth", "--quiet").status).toBe(0);
  ok(b, "git", "add", "cluster", "dist", "README.md");
  ok(b, "git", "commit", "-q", "-m", "reboots from 01:00");
  ok(b, "git", "push", "-q", "origin", "main");
  expect(npmRun(b, "publish", "--push").status).toBe(0);

  edit(a, "timeZone: Europe/Berlin", "timeZone: Europe/Paris");
  expect(npmRun(a, "synth", "--quiet").status).toBe(0);
  ok(a, "git", "add", "cluster", "dist", "README.md");
  ok(a, "git", "commit", "-q", "-m", "Paris time");
  const pull = sh(a, "git", "pull", "-q", "--no-rebase", "--no-edit", "origin", "main");
  expect(pull.status).toBe(1); // both changed synth's output: conflicts
  const conflicted = ok(a, "git", "diff", "--name-only", "--diff-filter=U").trim().split("\n");
  expect(conflicted).toEqual(expect.arrayContaining(["README.md", "dist/docs/README.md"]));
  expect(conflicted.every((path) => path.startsWith("dist/") || path === "README.md")).toBe(true);

  const synth = npmRun(a, "synth");
  expect(synth).toMatchObject({ status: 0 });
  for (const path of conflicted.filter((p) => p !== "dist/.synth-output.json")) expect(synth.stdout + synth.stderr).toContain(path.replace(/^dist\//, ""));
  expect(readFileSync(join(a, "cluster", "homelab.yaml"), "utf8")).toMatch(/timeZone: Europe\/Paris[\s\S]*kured: \{ startTime: "01:00" \}/);
  ok(a, "git", "add", "cluster", "dist", "README.md");
  ok(a, "git", "commit", "-q", "--no-edit"); // the hook: nothing stale after synth's resolution
  ok(a, "git", "push", "-q", "origin", "main");
  expect(npmRun(a, "publish", "--push")).toMatchObject({ status: 0 });
  // The rendered branch has both changes.
  // kured's values live in its Application (argocd-apps).
  const applications = ok(a, "git", "show", "origin/deploy:clusters/basement/argocd-apps/manifests.yaml");
  expect(applications).toContain("startTime: '01:00'");
  expect(applications).toContain("timeZone: Europe/Paris");
});
