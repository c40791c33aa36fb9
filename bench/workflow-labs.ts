// Scratch clones of this repository for timing `npm run diff` and `npm run publish` on the
// reference lab as an operator runs them: diff right after editing the spec and synthesizing,
// publish --push of a freshly committed change to a bare remote.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument, type Scalar } from "yaml";
import { synthesize } from "../scripts/lib/synthesize";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" }).trim();

/**
 * What `npm run <name> -- <args>` runs, minus npm: package.json's script, its launcher (node
 * scripts/run.cjs, sh scripts/….sh) by absolute path, so that clones run this checkout's code.
 */
export function npmScriptArgv(root: string, name: string, ...args: string[]): string[] {
  const [program, launcher, ...rest] = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts[name] as string).split(" ");
  return [program, join(root, launcher), ...rest, ...args];
}

/** The bench cases: package.json's diff and publish commands, run in the clones. */
export function workflowCases(root: string, work: string) {
  const labs = workflowLabs(root, work);
  const npmScript = (name: string, ...args: string[]) => npmScriptArgv(root, name, ...args);
  return [
    { name: "diff", description: "`npm run diff` after a spec edit and synth (one app changed)", commands: [npmScript("diff")], cwd: labs.diffLab, ok: [1] },
    {
      name: "publish",
      description: "`npm run publish -- --push` of a committed change, to a bare remote",
      // --remote names the scratch remote on purpose: it is not the repository gitops.repoUrl names.
      commands: [npmScript("publish", "--push", "--remote", "origin")],
      cwd: labs.publishLab,
      prepare: labs.nextChange,
    },
  ];
}

export interface WorkflowLabs {
  /** A clone whose spec edit is synthesized but not committed: diff has one change to show. */
  readonly diffLab: string;
  /** A clone with a bare `origin`, whose next publish has a commit to make. */
  readonly publishLab: string;
  /** Commits and pushes the next spec change (and its dist/) in publishLab; not timed. */
  readonly nextChange: () => void;
}

function workflowLabs(root: string, work: string): WorkflowLabs {
  const diffLab = clone(root, join(work, "diff-lab"));
  const publishLab = clone(root, join(work, "publish-lab"));
  const remote = join(work, "publish-remote.git");
  rmSync(remote, { recursive: true, force: true });
  git(work, "init", "-q", "--bare", remote);
  git(publishLab, "remote", "set-url", "origin", remote);
  editSpec(diffLab, 1);
  let round = 0;
  return { diffLab, publishLab, nextChange: () => commitChange(publishLab, ++round) };
}

/** HEAD of this repository, with dist/ as this checkout's synth writes it for that clone. */
function clone(root: string, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  git(root, "clone", "-q", root, dir);
  git(dir, "config", "user.email", "bench@example.invalid");
  git(dir, "config", "user.name", "bench");
  git(dir, "config", "commit.gpgsign", "false");
  git(dir, "config", "core.hooksPath", "/dev/null");
  synthIn(dir);
  git(dir, "add", "-A");
  if (git(dir, "status", "--porcelain")) git(dir, "commit", "-q", "-m", "dist/ as this checkout synthesizes it");
  return dir;
}

const synthIn = (dir: string) => synthesize({ clusterFile: join(dir, "cluster", "homelab.yaml"), outDir: join(dir, "dist"), root: dir });

/** One app's port, different each round: a change to one Argo CD application. The rest of the spec's text (tags, comments) stays as it is. */
function editSpec(dir: string, round: number) {
  const file = join(dir, "cluster", "homelab.yaml");
  const text = readFileSync(file, "utf8");
  const port = parseDocument(text, { logLevel: "error" }).getIn(["apps", 1, "port"], true) as Scalar;
  const [start, end] = port.range!;
  writeFileSync(file, `${text.slice(0, start)}${9000 + (round % 500)}${text.slice(end)}`);
  synthIn(dir);
}

function commitChange(dir: string, round: number) {
  editSpec(dir, round);
  git(dir, "commit", "-q", "-am", `bench change ${round}`);
  git(dir, "push", "-q", "origin", "HEAD"); // as a user does before publishing: publish refuses a source the remote lacks
}
