// The synth command: arguments, the summary, messages and exit codes.
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join, relative } from "node:path";
import { commandArgs, defaultSpec, exitCodes, pathOption, reportFailure, type Command } from "./cli";
import { formatChanges } from "./output-changes";
import { placeholderLines } from "./placeholders";
import { stackTracesOff } from "./stack-traces";
import { outputPaths } from "./atomic-dir";
import { synthesize } from "./synthesize";

export const synthCommand: Command = {
  name: "synth",
  help: `usage: npm run synth -- [--cluster <spec>] [--out <dir>] [--quiet]

Validates the spec and writes the Terraform stack, the Kubernetes manifests, the bootstrap
user-data copies, the Ansible inventory and the docs into the output directory, atomically.
Synth replaces or deletes only the files it wrote: its marker (<out>/.synth-output.json) lists
each with the hash of its content, and a file whose content changed since is yours. Anything of
yours there (Terraform's working files, notes) is kept; one where synth must write is refused
(exit 2, naming it). Files git reports in conflict after a merge are regenerated.

  --cluster <spec>  the spec to read (default: the repository's cluster/homelab.yaml)
  --out <dir>       the output directory inside the repository (default: the repository's
                    dist); paths you type are relative to the directory you run npm in
  --quiet, -q       print nothing on success
  --help, -h        this text`,
  options: {
    cluster: { type: "string" },
    out: { type: "string" },
    quiet: { type: "boolean", short: "q", default: false },
  },
};

/** `npm run synth [-- options]`; returns the exit code. */
export function synthCli(argv: string[], root: string): number {
  const started = performance.now();
  stackTracesOff();
  try {
    const args = commandArgs(synthCommand, argv);
    if (!args) return exitCodes.ok;
    const outDir = pathOption(synthCommand, args.out, "dist", root);
    const clusterFile = pathOption(synthCommand, args.cluster, defaultSpec, root);
    const summary = synthesize({ clusterFile, outDir, root, reportChanges: !args.quiet });
    if (!args.quiet) {
      const shownOut = relative(process.cwd(), outDir) || ".";
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      process.stdout.write(
        `synth ${summary.cluster.name}: ${summary.stacks} stack${summary.stacks === 1 ? "" : "s"}, ${summary.resources} resources → ${shownOut}/terraform; ` +
          `${summary.charts} charts, ${summary.manifests} manifests → ${shownOut}/k8s; ${summary.files} files in ${seconds}s\n`,
      );
      if (summary.changes) process.stdout.write(formatChanges(summary.changes));
      if (summary.regenerated.length)
        process.stdout.write(`  regenerated what git left in conflict (git add them to mark them resolved): ${summary.regenerated.join(", ")}\n`);
      const warnings = [
        ...summary.warnings,
        ...placeholderLines(relative(process.cwd(), clusterFile), summary.placeholders),
        ...summary.pending,
        ...summary.notes,
      ];
      if (warnings.length) process.stderr.write(`${warnings.map((w) => `synth: warning: ${w}`).join("\n")}\n`);
    }
    return exitCodes.ok;
  } catch (error) {
    return reportFailure("synth", error);
  }
}

/** One synth of the lab in cluster/ into a scratch directory, for the startup snapshot; whether it ran whole. */
export function warmUpSynth(root: string): boolean {
  // A directory synth may own (not .build/, which holds the project's build cache).
  const outDir = join(root, `.synth-warm-up-${process.pid}`);
  // As in a run; restored after, or the snapshot would keep them off even under HOMELAB_DEBUG.
  const restoreStackTraces = stackTracesOff();
  try {
    synthesize({ clusterFile: join(root, defaultSpec), outDir, root, reportChanges: true });
    return true;
  } catch {
    // A spec being edited may be invalid: loading and validating it still warmed the loader.
    return false;
  } finally {
    restoreStackTraces();
    // The output and the spare it leaves for a next synth that never comes.
    for (const dir of [outDir, outputPaths(outDir).spare]) rmSync(dir, { recursive: true, force: true });
  }
}
