// `npm run diff [-- --against <ref> | --rendered]`: what the synthesized output on disk changes,
// per Argo CD application and per Terraform resource. See --help and docs/workflow.md.
import { join } from "node:path";
import { loadCluster } from "../cluster/load";
import { commandArgs, exitCodes, reportFailure, userPath, type Command } from "./lib/cli";
import { Git } from "./lib/git";
import { diffOutputs, renderDiff } from "./lib/output-diff";
import { changedTexts, filesOnDisk, type ChangedTexts } from "./lib/output-versions";
import { colourDiff, wantsColour } from "./lib/unified-patch";
import { UsageError } from "./lib/usage-error";

const command: Command = {
  name: "diff",
  help: `usage: npm run diff -- [--against <ref> | --rendered [--cluster <file>]]

Shows what dist/ on disk (as \`npm run synth\` last wrote it) changes against the committed
dist/ at HEAD, and exits 1 when anything does: per Argo CD application object by object, per
Terraform resource, and the VMs' cloud-init user-data. It does not synthesize: run
\`npm run synth\` after editing the spec.

  --against <ref>   compare with dist/ at a git revision instead of HEAD (e.g. origin/main)
  --rendered        compare dist/k8s with what the rendered branch holds (what Argo CD syncs):
                    the local branch, else origin's
  --cluster <file>  the spec that names the rendered branch (default: cluster/homelab.yaml)
  --help, -h        this text

Colour on a terminal unless NO_COLOR is set; Markdown otherwise (CI job summaries).
An unknown revision, or no rendered branch yet, is a usage error (2).`,
  options: { against: { type: "string" }, rendered: { type: "boolean", default: false }, cluster: { type: "string" } },
};

function main(): number {
  try {
    const values = commandArgs(command, process.argv.slice(2));
    if (!values) return exitCodes.ok;
    if (values.rendered && values.against !== undefined) throw new UsageError("--against and --rendered compare with different things; pass one of them");
    const git = Git.open(process.cwd());
    const cluster = values.cluster as string | undefined;
    const { texts, what } = values.rendered ? againstRendered(git, cluster) : againstRevision(git, (values.against as string | undefined) ?? "HEAD");
    const sections = diffOutputs(texts.onDisk, texts.inGit);
    const text = renderDiff(sections, what);
    process.stdout.write(wantsColour(process.stdout) ? colourDiff(text) : text);
    if (!sections.length && !values.rendered && values.against === undefined) hintUnsynthesized(git, cluster);
    return sections.length ? exitCodes.changesOrFindings : exitCodes.ok;
  } catch (error) {
    return reportFailure("diff", error);
  }
}

function againstRevision(git: Git, revision: string): { texts: ChangedTexts; what: string } {
  if (!git.resolve(`${revision}^{commit}`)) throw new UsageError(`unknown git revision '${revision}'`);
  return { texts: changedTexts(git, filesOnDisk(git, "dist"), git.tree(`${revision}:dist`)), what: `dist/ against ${revision}` };
}

function againstRendered(git: Git, clusterFile: string | undefined): { texts: ChangedTexts; what: string } {
  const cluster = loadCluster(clusterFile === undefined ? join(git.cwd, "cluster", "homelab.yaml") : userPath(command, clusterFile));
  const { renderedBranch: branch, path } = cluster.gitops;
  const ref = [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`].find((r) => git.resolve(r));
  if (!ref) throw new UsageError(`no rendered branch '${branch}' yet (neither local nor origin/${branch}); run \`npm run publish\` first`);
  const shown = ref.replace(/^refs\/(heads|remotes)\//, "");
  return { texts: changedTexts(git, filesOnDisk(git, "dist/k8s"), git.tree(`${ref}:${path}`), "k8s/"), what: `dist/k8s against ${shown}:${path}` };
}

/** The README's review step is "edit, synth, diff": say so when the synth is what is missing. */
function hintUnsynthesized(git: Git, clusterFile: string | undefined) {
  const spec = clusterFile === undefined ? "cluster/homelab.yaml" : userPath(command, clusterFile);
  if (git.status(["diff", "--quiet", "HEAD", "--", spec]).code === 1) {
    process.stderr.write(`diff: the spec has uncommitted edits that change nothing in dist/; run \`npm run synth\` first if you have not\n`);
  }
}

process.exitCode = main();
