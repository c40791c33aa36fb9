// `npm run publish [-- --push] [-- --remote origin]`: commits the committed dist/k8s to the
// rendered branch named in the spec, as one commit naming the source commit; nothing when
// unchanged. See --help and docs/workflow.md. Runs from a warm startup snapshot
// (scripts/run-snapshot.sh), since its staleness check is a whole synth.
import { resolve } from "node:path";
import { commandArgs, exitCodes, reportFailure, userPath, type Command } from "./lib/cli";
import { publish, type PublishResult } from "./lib/publish";
import { stackTracesOff } from "./lib/stack-traces";
import { startEntry } from "./lib/startup-snapshot";
import { warmUpSynth } from "./lib/synth-cli";

const command: Command = {
  name: "publish",
  help: `usage: npm run publish -- [--push] [--remote <name>] [--cluster <file>] [--force]

Commits HEAD's dist/k8s to the rendered branch the spec names (gitops.renderedBranch, under
gitops.path), as one commit whose message names the source commit. Makes no commit when the
manifests are already there. Builds on the remote's branch (fetched first), so pushing is a
fast-forward from any clone. Refuses (exit 1), changing nothing, when: HEAD is detached or is
the rendered branch; the working tree has uncommitted changes (Terraform's working files in
dist/ aside); the committed dist/ is not what synth makes of the spec; the target branch holds
anything but rendered output and its tip's tree does not prove publish made it (a source
branch: a commit message proves nothing); the branch name would shadow a remote's branches or a
tag; a file the commit adds or changes holds what npm run check's secret scan flags; the branch
was published from a commit that HEAD does not contain; the local and the remote's branch have
diverged; with --push, HEAD is on no branch of the remote yet (push your source first). A push
the remote rejects exits 1 and leaves every branch as it was.

  --push           push the branch to the remote whenever the remote is behind
  --remote <name>  the remote to fetch from and push to, on purpose (default: origin, which
                   must be the repository Argo CD reads, gitops.repoUrl, for --push)
  --cluster <file> the spec (default: cluster/homelab.yaml in the repository)
  --force          publish even though the branch was published from a commit HEAD lacks, or
                   HEAD is not on the remote yet
  --help, -h       this text`,
  options: {
    push: { type: "boolean", default: false },
    remote: { type: "string" },
    cluster: { type: "string" },
    force: { type: "boolean", default: false },
  },
};

function main(args: string[]): number {
  // Its staleness check is a whole synth: the same speed shortcut as synth's (scripts/lib/stack-traces.ts).
  stackTracesOff();
  try {
    const values = commandArgs(command, args);
    if (!values) return exitCodes.ok;
    const clusterFile = values.cluster === undefined ? undefined : userPath(command, values.cluster as string);
    const remote = values.remote as string | undefined;
    const result = publish({ cwd: process.cwd(), push: values.push as boolean, remote, clusterFile, force: values.force as boolean });
    process.stdout.write(summary(result, remote ?? "origin"));
    for (const warning of result.warnings) process.stderr.write(`publish: warning: ${warning}\n`);
    return exitCodes.ok;
  } catch (error) {
    return reportFailure("publish", error);
  }
}

function summary(result: PublishResult, remote: string): string {
  const source = result.sourceCommit.slice(0, 12);
  const lines = [
    result.commit
      ? `publish: ${result.files} files of ${source} → ${result.branch} ${result.commit.slice(0, 12)}`
      : `publish: ${result.branch} already has the ${result.files} files of ${source}; no commit`,
  ];
  if (result.removedForeign.length) {
    lines.push(
      `publish: removed ${result.removedForeign.length} file${result.removedForeign.length === 1 ? "" : "s"} that publish did not write (still in the branch's history):`,
    );
    lines.push(...result.removedForeign.map((file) => `  ${file}`));
  }
  if (result.pushed) lines.push(`publish: pushed ${result.branch} to ${remote}`);
  return `${lines.join("\n")}\n`;
}

startEntry({ main, warmUp: warmUpSynth }, resolve(__dirname, ".."));
