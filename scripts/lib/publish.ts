// Publishes the committed dist/k8s to the rendered branch as one commit, with git plumbing:
// the tree is HEAD:dist/k8s itself (mktree), so nothing uncommitted or gitignored can reach the
// branch; the branch moves by compare-and-swap; the user's working tree, index and current branch
// are never touched. It builds on the remote's branch, so a push is a fast-forward, and a failed
// publish or push leaves every branch as it was.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadLab, type Lab } from "./lab";
import { Refusal } from "./command-errors";
import { Git } from "./git";
import { secretFindings, refuseSecrets } from "./check/secret-gate";
import { assertBranchOfItsOwn, moveBranch, pushBranch, readCloneRefs, readTips, type Tips } from "./rendered-branch";
import { assertRenderedBranch, contentEntries, foreignRemovals, namedSource, readmeText, renderedRoot, renderedTree, verifiedSource } from "./rendered-tree";
import { sameRepository } from "./repository-url";
import { staleOutputs } from "./stale-check";
import { isTerraformWorkFile } from "./terraform-work-files";

export { renderedRoot } from "./rendered-tree";

export interface PublishOptions {
  /** Any directory inside the repository. */
  readonly cwd: string;
  readonly clusterFile?: string;
  readonly push?: boolean;
  /** The remote to fetch from and push to, named on purpose. @default "origin", which must be the repository Argo CD reads to push */
  readonly remote?: string;
  /** Publish even when the branch was last published from a commit HEAD does not contain. */
  readonly force?: boolean;
  /** Test hook: the secret scan of what publish commits. @default check's (secretFindings) */
  readonly secretScan?: typeof secretFindings;
}

export interface PublishResult {
  readonly branch: string;
  readonly sourceCommit: string;
  /** The new commit, or undefined when the rendered content was already published. */
  readonly commit?: string;
  readonly files: number;
  readonly pushed: boolean;
  /** Files someone else added to the branch that this publish removed. */
  readonly removedForeign: readonly string[];
  readonly warnings: readonly string[];
}

export function publish(options: PublishOptions): PublishResult {
  const git = Git.open(options.cwd);
  const clusterFile = options.clusterFile ?? join(git.cwd, "cluster", "homelab.yaml");
  // A checkout of the rendered branch has no spec to read: say where we are rather than that.
  if (!existsSync(clusterFile)) {
    const current = git.tryRun(["symbolic-ref", "--short", "-q", "HEAD"]);
    if (current && verifiedSource(git, "HEAD")) throw onRenderedBranch(current);
  }
  // Loaded once: the staleness check synthesizes this same spec.
  const spec = loadLab(clusterFile);
  const branch = spec.cluster.gitops.renderedBranch;
  const parts = renderedRoot(spec.cluster.gitops.path);
  const remote = options.remote ?? "origin";
  const clone = readCloneRefs(git, branch, remote);
  assertBranchOfItsOwn(branch, clone);
  const source = checkedSource(git, branch, clusterFile, spec);

  const elsewhere = remoteElsewhere(clone.remotes.get(remote), remote, spec.cluster.gitops.repoUrl);
  // Pushing where Argo CD does not read publishes nothing it syncs: a forgotten gitops.repoUrl
  // (still the template's) is the usual cause. A remote named on purpose is taken, with a warning.
  if (elsewhere && options.push && options.remote === undefined)
    throw new Refusal(`${elsewhere}; set gitops.repoUrl to the repository Argo CD should read, or pass --remote ${remote} to push there on purpose`);
  const tips = readTips(git, branch, remote, Boolean(options.push), clone);
  if (tips.base) {
    // Ours only when its tree proves publish made it; else it must at least hold rendered output alone.
    const verified = verifiedSource(git, tips.base);
    if (!verified) assertRenderedBranch(git, branch, tips.base, parts);
    const published = verified ?? namedSource(git, tips.base);
    if (published && !options.force) assertContainsPublished(git, branch, published);
  }
  if (options.push && !options.force) assertSourceOnRemote(git, source.commit, remote, branch);
  const tree = renderedTree(git, source.manifests, parts, readmeText(source.commit, parts.join("/")));
  // The same manifests (the README names the source commit, and alone makes no commit).
  const unchanged = tips.base !== undefined && contentEntries(git, tips.base) === tree.content;
  // Nothing unscanned reaches the branch: every file this commit adds or changes.
  if (!unchanged) refuseSecrets((options.secretScan ?? secretFindings)(changedFiles(git, tips.base, tree.root), spec.cluster), `publishing ${branch}`);
  const commit = unchanged
    ? undefined
    : git.run([
        "commit-tree",
        tree.root,
        ...(tips.base ? ["-p", tips.base] : []),
        "-m",
        `Render ${source.commit.slice(0, 12)}\n\nSource commit: ${source.commit}\n`,
      ]);
  const tip = commit ?? tips.base!;
  moveBranch(git, branch, tips.local, tip, `publish ${source.commit}`);
  const pushed = Boolean(options.push) && tip !== tips.remote;
  if (pushed) pushOrRestore(git, branch, remote, tips, tip);
  return {
    branch,
    sourceCommit: source.commit,
    commit,
    files: source.files,
    pushed,
    removedForeign: commit && tips.base ? foreignRemovals(git, tips.base, tree.root) : [],
    warnings: [...(tips.warning ? [tips.warning] : []), ...(elsewhere ? [`${elsewhere}: Argo CD will not see this branch there`] : [])],
  };
}

/** "origin is <url>, not the repository Argo CD reads (gitops.repoUrl <url>)" when they differ; undefined when they are one. */
function remoteElsewhere(url: string | undefined, remote: string, repoUrl: string): string | undefined {
  // As configured, before insteadOf rewriting: the form the user wrote, which names the repository.
  if (url === undefined || sameRepository(url, repoUrl)) return undefined;
  return `${remote} is ${url}, not the repository Argo CD reads (gitops.repoUrl ${repoUrl})`;
}

function checkedSource(git: Git, branch: string, clusterFile: string, spec: Lab): { commit: string; manifests: string; files: number } {
  const [commit, head] = git.run(["rev-parse", "HEAD", "--symbolic-full-name", "HEAD"]).split("\n");
  if (head === "HEAD") throw new Refusal("HEAD is detached; check out the branch whose dist/ you want to publish");
  if (head === `refs/heads/${branch}`) throw onRenderedBranch(branch);
  const dirty = uncommitted(git);
  if (dirty.length) throw new Refusal(`the working tree has uncommitted changes; commit or stash them first:\n${dirty.map((path) => `  ${path}`).join("\n")}`);
  const { stale, committed } = staleOutputs(git, clusterFile, spec);
  if (stale.length) throw new Refusal(`dist/ is stale (${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", …" : ""}); run \`npm run synth\` and commit`);
  const manifests = git.treeId("HEAD:dist/k8s");
  if (!manifests) throw new Refusal("HEAD has no dist/k8s; run `npm run synth` and commit dist/");
  return { commit, manifests, files: [...committed.keys()].filter((path) => path.startsWith("k8s/")).length };
}

const onRenderedBranch = (branch: string) => new Refusal(`you are on the rendered branch ${branch}; publish from your source branch`);

/** The files `tree` adds or changes against `base` (all of them without one): path → text. */
function changedFiles(git: Git, base: string | undefined, tree: string): [string, string][] {
  const changed: [string, string][] = [];
  if (base) {
    // --raw -z: ":<mode> <mode> <old id> <new id> <status>", then the path.
    const fields = git.read(["diff-tree", "-r", "-z", "--no-renames", "--diff-filter=AM", "--raw", `${base}^{tree}`, tree]).split("\0");
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i].startsWith(":")) changed.push([fields[i + 1], fields[i].split(" ")[3]]);
  } else {
    for (const line of git.read(["ls-tree", "-r", "-z", tree]).split("\0")) {
      const tab = line.indexOf("\t");
      if (tab >= 0) changed.push([line.slice(tab + 1), line.slice(0, tab).split(" ")[2]]);
    }
  }
  const blobs = git.blobs(changed.map(([, id]) => id));
  return changed.map(([path, id]) => [path, blobs.get(id)!.toString("utf8")]);
}

/** Paths with uncommitted changes, but Terraform's working files in dist/, which are the user's. */
function uncommitted(git: Git): string[] {
  // -z: `XY path` entries; a rename or copy is followed by its source path as one more entry.
  const entries = git.read(["status", "--porcelain", "-z", "--untracked-files=all"]).split("\0");
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) continue;
    if (/^[RC]/.test(entry)) i++; // its source path follows
    const path = entry.slice(3);
    if (!(path.startsWith("dist/") && isTerraformWorkFile(path.slice("dist/".length)))) paths.push(entry);
  }
  return paths;
}

/** Publishing from a clone that lacks the last published source would roll the cluster back. */
function assertContainsPublished(git: Git, branch: string, published: string) {
  if (git.isAncestor(published, "HEAD")) return;
  throw new Refusal(
    `${branch} was published from ${published.slice(0, 12)}, which HEAD does not contain; pull (or merge) it first, ` +
      `or publish with --force to replace what the cluster runs with this commit's output`,
  );
}

function pushOrRestore(git: Git, branch: string, remote: string, tips: Tips, tip: string) {
  try {
    pushBranch(git, branch, remote);
  } catch (error) {
    moveBranch(git, branch, tip, tips.local, `publish: push failed, back to where it was`);
    throw error;
  }
}

/**
 * The rendered branch names its source commit, and the next publish from any clone requires HEAD
 * to contain it: pushing a render of a commit the remote does not have would leave every other
 * clone (and CI) refused. Known to be on the remote: reachable from one of its branches as this
 * clone last saw them (a push updates them; CI checks out with the history).
 */
function assertSourceOnRemote(git: Git, commit: string, remote: string, branch: string): void {
  const refs = git
    .run(["for-each-ref", "--contains", commit, "--format=%(refname)", `refs/remotes/${remote}/`])
    .split("\n")
    .filter(Boolean);
  if (refs.some((ref) => ref !== `refs/remotes/${remote}/${branch}`)) return;
  throw new Refusal(
    `HEAD ${commit.slice(0, 12)} is on no branch of ${remote} yet; push your source branch first, so the rendered branch names a commit every clone can find (or publish with --force)`,
  );
}
