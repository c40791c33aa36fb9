// Real git repositories for the workflow tests: a homelab repository of its own (the reference
// spec, its synthesized dist/, this project's .gitignore), a bare remote, and more clones of it.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { synthesize } from "../../scripts/lib/synthesize";
import { overlayReference, referenceSpec, root } from "./spec-fixture";
import { scratch } from "./tree";

export const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function identify(repo: string) {
  git(repo, "config", "user.email", "test@example.invalid");
  git(repo, "config", "user.name", "test");
  git(repo, "config", "commit.gpgsign", "false");
}

export function synthIn(repo: string) {
  synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: join(repo, "dist"), root: repo });
}

/**
 * dist/ for a new repository: synthesized once per spec and copied (the output does not depend
 * on where the repository is, only on its spec).
 */
const synthesized = new Map<string, string>();
function distFor(spec: string, repo: string) {
  let template = synthesized.get(spec);
  if (!template) {
    // One per jest worker: two test files building a template of the same name raced for it.
    template = join(scratch(`lab-template-${process.pid}-${synthesized.size}`), "dist");
    synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: template, root: join(template, "..") });
    synthesized.set(spec, template);
  }
  cpSync(template, join(repo, "dist"), { recursive: true });
}

/** `<scratch>/lab`: one commit of the reference lab, pushed to `origin` = `<scratch>/remote.git`. */
export function makeRepo(name: string, spec?: string): string {
  const text = spec ?? readFileSync(referenceSpec, "utf8");
  let template = templates.get(text);
  if (!template) {
    // One per jest worker, as distFor's.
    template = scratch(`lab-repo-template-${process.pid}-${templates.size}`);
    buildRepo(template, text);
    templates.set(text, template);
  }
  // A copy of the template (the same commit, already pushed): git keeps no absolute path but the
  // insteadOf that points origin at the template's remote, rewritten to the copy's own.
  const base = scratch(name);
  cpSync(template, base, { recursive: true });
  const config = join(base, "lab", ".git", "config");
  writeFileSync(config, readFileSync(config, "utf8").split(`${template}/`).join(`${base}/`));
  return join(base, "lab");
}

/** Repositories made once per spec, copied by makeRepo (git processes cost most of these tests' time). */
const templates = new Map<string, string>();

function buildRepo(base: string, spec: string): void {
  const repo = join(base, "lab");
  mkdirSync(join(repo, "cluster"), { recursive: true });
  writeFileSync(join(repo, "cluster", "homelab.yaml"), spec);
  copyFileSync(join(root, ".gitignore"), join(repo, ".gitignore"));
  distFor(spec, repo);
  git(base, "init", "-q", "--bare", "-b", "main", "remote.git");
  git(repo, "init", "-q", "-b", "main");
  identify(repo);
  pointOriginAt(repo, join(base, "remote.git"));
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "lab");
  // Published sources are on the remote (publish --push refuses one that is not).
  git(repo, "push", "-q", "origin", "main");
}

/** A second clone of `repo`'s remote (after pushing `repo`'s main to it), as another machine has. */
export function cloneOf(repo: string, name: string): string {
  git(repo, "push", "-q", "origin", "main");
  const clone = join(repo, "..", name);
  git(join(repo, ".."), "clone", "-q", join(repo, "..", "remote.git"), clone);
  identify(clone);
  pointOriginAt(clone, join(repo, "..", "remote.git"));
  return clone;
}

/**
 * origin as a user's clone has it: the repository the spec's gitops.repoUrl names (publish
 * compares the two), which git rewrites (insteadOf) to the local bare remote that stands in for it.
 */
function pointOriginAt(repo: string, bare: string) {
  const repoUrl = (parse(readFileSync(join(repo, "cluster", "homelab.yaml"), "utf8"), { logLevel: "silent" }) as { gitops: { repoUrl: string } }).gitops
    .repoUrl;
  git(repo, "config", `url.${bare}.insteadOf`, repoUrl);
  if (git(repo, "remote").split("\n").includes("origin")) git(repo, "remote", "set-url", "origin", repoUrl);
  else git(repo, "remote", "add", "origin", repoUrl);
}

export const remoteOf = (repo: string) => join(repo, "..", "remote.git");

/** Edits the spec (an overlay on the reference lab), synthesizes, commits both and pushes (unless told not to). */
export function commitSpecChange(repo: string, set: Record<string, unknown>, push = true) {
  writeFileSync(join(repo, "cluster", "homelab.yaml"), overlayReference(set));
  synthIn(repo);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "change");
  if (push) git(repo, "push", "-q", "origin", "HEAD");
}
