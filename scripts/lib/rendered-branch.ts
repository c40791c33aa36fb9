// The rendered branch here and on the remote: publish builds on whichever tip is newer, so a
// push from any clone is a fast-forward, and moves the local branch only by compare-and-swap.
import type { Git } from "./git";
import { Refusal } from "./command-errors";
import { UsageError } from "./usage-error";

export interface Tips {
  /** The local branch before publish, if any. */
  readonly local?: string;
  /** The remote's branch, if the remote has it (fetched). */
  readonly remote?: string;
  /** What the next commit builds on: the newer of the two. */
  readonly base?: string;
  /** Why the remote was not consulted, when it could not be. */
  readonly warning?: string;
}

const zero = "0".repeat(40);

/**
 * What publish needs to know of this clone before it asks the remote, read by two git processes
 * instead of one per question (each costs a fork of this process, the larger part of publish's
 * own time): the remotes with the URLs their configuration names (before insteadOf), and the
 * tag, branch and remote-tracking branch the rendered branch's name could be.
 */
export interface CloneRefs {
  /** Remote name → its configured URL (`remote.<name>.url`; the last one, as `git config --get` reads). */
  readonly remotes: ReadonlyMap<string, string>;
  readonly tag?: string;
  readonly local?: string;
  readonly tracking?: string;
}

export function readCloneRefs(git: Git, branch: string, remote: string): CloneRefs {
  const remotes = new Map<string, string>();
  // -z: "key\nvalue\0" per entry; exit 1 when nothing matches (no remote at all).
  const config = git.status(["config", "-z", "--get-regexp", "^remote\\..*\\.url$"]);
  if (config.code !== 0 && config.code !== 1) throw new Error(`git config --get-regexp: ${config.stderr}`);
  for (const entry of config.stdout.split("\0")) {
    const eol = entry.indexOf("\n");
    if (eol < 0) continue;
    // A remote's name may hold dots: remote.<name>.url.
    remotes.set(entry.slice("remote.".length, eol - ".url".length), entry.slice(eol + 1));
  }
  const names = { tag: `refs/tags/${branch}`, local: `refs/heads/${branch}`, tracking: `refs/remotes/${remote}/${branch}` };
  // for-each-ref matches a pattern as a prefix of whole components too: only exact names count.
  const found = new Map(
    git
      .run(["for-each-ref", "--format=%(refname) %(objectname)", ...Object.values(names)])
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" ") as [string, string]),
  );
  return { remotes, tag: found.get(names.tag), local: found.get(names.local), tracking: found.get(names.tracking) };
}

/**
 * Refuses a rendered branch name that would shadow another ref of this clone: a remote's
 * branches (`upstream/x` beside a remote upstream), a tag. Names git would not take as a branch
 * the spec refuses already (schema-formats.ts branchNameProblem, which test/gitops.test.ts holds
 * against `git check-ref-format --branch`).
 */
export function assertBranchOfItsOwn(branch: string, clone: CloneRefs): void {
  const remote = [...clone.remotes.keys()].find((name) => branch.startsWith(`${name}/`));
  if (remote)
    throw new Refusal(
      `gitops.renderedBranch '${branch}' would shadow the branches of remote ${remote} (refs/remotes/${remote}/…); name a branch of its own such as rendered`,
    );
  if (clone.tag) throw new Refusal(`gitops.renderedBranch '${branch}' is also a tag; name a branch of its own such as rendered`);
}

/** Reads both tips, fetching the remote's; `mustReach`: a remote that cannot be reached is an error. */
export function readTips(git: Git, branch: string, remote: string, mustReach: boolean, clone: CloneRefs): Tips {
  const local = clone.local;
  if (!clone.remotes.has(remote)) {
    if (mustReach) throw new UsageError(`there is no git remote '${remote}'; add it (git remote add ${remote} <url>) or name another with --remote`);
    return { local, base: local };
  }
  const listed = git.status(["ls-remote", "--exit-code", "--heads", remote, `refs/heads/${branch}`]);
  if (listed.code === 2) return { local, base: local }; // the remote has no such branch yet
  // As git used it (insteadOf applied), for messages only.
  const url = () => git.tryRun(["remote", "get-url", remote]) ?? clone.remotes.get(remote);
  if (listed.code !== 0) {
    const reason = `cannot reach ${remote} (${url()}): ${gitReason(listed.stderr)}`;
    if (mustReach) throw new Refusal(reason);
    return { local, base: local, warning: `${reason}; built on the local branch only` };
  }
  const remoteTip = listed.stdout.split("\t")[0];
  const tracking = `refs/remotes/${remote}/${branch}`;
  if (clone.tracking !== remoteTip) {
    const fetched = git.status(["fetch", "-q", "--no-tags", remote, `+refs/heads/${branch}:${tracking}`]);
    if (fetched.code !== 0) throw new Refusal(`cannot fetch ${branch} from ${remote} (${url()}): ${gitReason(fetched.stderr)}`);
  }
  return { local, remote: remoteTip, base: newer(git, branch, remote, local, remoteTip) };
}

function newer(git: Git, branch: string, remote: string, local: string | undefined, remoteTip: string): string {
  if (!local || local === remoteTip) return remoteTip;
  if (git.isAncestor(local, remoteTip)) return remoteTip;
  if (git.isAncestor(remoteTip, local)) return local;
  throw new Refusal(
    `the local branch ${branch} and ${remote}/${branch} have diverged; if the local commits were never meant to be pushed, ` +
      `reset it with \`git branch -f ${branch} ${remote}/${branch}\` and publish again`,
  );
}

/** Moves the local branch from `from` (undefined: absent) to `to` (undefined: delete), only if it is still at `from`. */
export function moveBranch(git: Git, branch: string, from: string | undefined, to: string | undefined, reason: string) {
  if (from === to) return;
  if (to) git.run(["update-ref", "-m", reason, `refs/heads/${branch}`, to, from ?? zero]);
  else git.run(["update-ref", "-d", `refs/heads/${branch}`, from!]);
}

/** Pushes the branch (a fast-forward by construction); a rejected push is a refusal naming git's reason. */
export function pushBranch(git: Git, branch: string, remote: string) {
  const pushed = git.status(["push", "-q", remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  if (pushed.code !== 0) throw new Refusal(`push to ${remote} failed, nothing was changed: ${pushed.stderr}`);
}

/** git's first "fatal:" line, the one that names the cause (the rest is advice). */
function gitReason(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  const fatal = lines.find((line) => line.startsWith("fatal: ")) ?? lines[0] ?? "git gave no reason";
  return fatal.replace(/^fatal: /, "");
}
