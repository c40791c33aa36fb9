// `npm run diff [-- --against <git-ref> | --rendered] [-- --cluster <file>]`: synthesizes into
// a scratch directory and prints what would change, per Argo CD application and per Terraform
// resource, against the committed dist/ (default), dist/ at a git ref, or the rendered branch.
// Exit code: 0 no change, 1 changes, 2 bad arguments.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SpecError } from "../cluster/problems";
import { loadCluster } from "../cluster/load";
import { Git } from "./lib/git";
import { diffOutputs, renderDiff } from "./lib/output-diff";
import { isTerraformWorkFile, readTree } from "./lib/output-tree";
import { freshSynth } from "./lib/stale-check";
import { UsageError } from "./lib/usage-error";

function main(): number {
  try {
    const { values } = parseArgs({
      options: { against: { type: "string" }, rendered: { type: "boolean", default: false }, cluster: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
    const git = Git.open(process.cwd());
    const root = git.cwd;
    const clusterFile = values.cluster ? join(process.cwd(), values.cluster) : undefined;
    const sections = freshSynth(root, clusterFile, (outDir) => {
      const fresh = readTree(outDir);
      if (values.rendered) {
        const cluster = loadCluster(clusterFile ?? join(root, "cluster", "homelab.yaml"));
        const branch = cluster.gitops.renderedBranch;
        if (!git.tryRun(["rev-parse", "--verify", "-q", `refs/heads/${branch}`])) throw new UsageError(`no rendered branch '${branch}' yet; run \`npm run publish\` first`);
        const k8sOnly = new Map([...fresh].filter(([p]) => p.startsWith("k8s/")));
        return diffOutputs(k8sOnly, treeAt(git, branch, cluster.gitops.path, "k8s"));
      }
      const committed = values.against ? treeAt(git, values.against, "dist", "") : readTree(join(root, "dist"));
      return diffOutputs(fresh, committed);
    });
    process.stdout.write(renderDiff(sections));
    return sections.length ? 1 : 0;
  } catch (error) {
    if (error instanceof SpecError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`diff: ${error instanceof UsageError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

/** Files under `dir` at a git revision, keyed as `<as>/<path below dir>`. */
function treeAt(git: Git, revision: string, dir: string, as: string): Map<string, string> {
  if (!git.tryRun(["rev-parse", "--verify", "-q", `${revision}^{commit}`])) throw new UsageError(`unknown git revision '${revision}'`);
  const files = git.tryRun(["ls-tree", "-r", "--name-only", revision, "--", dir]) ?? "";
  const tree = new Map<string, string>();
  for (const file of files.split("\n").filter(Boolean)) {
    const key = [as, file.slice(dir.length + 1)].filter(Boolean).join("/");
    if (isTerraformWorkFile(key)) continue;
    tree.set(key, git.read(["show", `${revision}:${file}`]));
  }
  return tree;
}

process.exitCode = main();
