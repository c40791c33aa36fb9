// The synth command: arguments, output directory rules, messages and exit codes.
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SpecError } from "../../cluster/problems";
import { stackTracesOff } from "./stack-traces";
import { outputPaths } from "./atomic-dir";
import { synthesize } from "./synthesize";
import { UsageError } from "./usage-error";

/** `npm run synth [-- options]`; returns the exit code. */
export function synthCli(argv: string[], root: string): number {
  const started = performance.now();
  stackTracesOff();
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        cluster: { type: "string", default: "cluster/homelab.yaml" },
        out: { type: "string", default: "dist" },
        quiet: { type: "boolean", short: "q", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return fail(new UsageError(`${(error as Error).message}; usage: npm run synth -- [--cluster <file>] [--out <dir>]`));
  }
  if (args.help) {
    process.stdout.write("usage: npm run synth -- [--cluster cluster/homelab.yaml] [--out dist] [--quiet]\n");
    return 0;
  }
  try {
    const outDir = resolve(args.out!);
    const summary = synthesize({ clusterFile: resolve(args.cluster!), outDir, root });
    if (!args.quiet) {
      const shownOut = relative(process.cwd(), outDir) || ".";
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      process.stdout.write(
        `synth ${summary.cluster.name}: ${summary.stacks} stack, ${summary.resources} resources → ${shownOut}/terraform; ` +
          `${summary.charts} charts, ${summary.manifests} manifests → ${shownOut}/k8s; ${summary.files} files in ${seconds}s\n`,
      );
    }
    return 0;
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  if (error instanceof SpecError) {
    process.stderr.write(`${error.message}\n${error.problems.length} problem${error.problems.length === 1 ? "" : "s"} in ${error.file}; nothing was written.\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`synth: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(`synth: internal error (please report; HOMELAB_DEBUG=1 shows the stack trace): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 70;
}

/** One synth of the lab in cluster/ into a scratch directory, for the startup snapshot. */
export function warmUpSynth(root: string): void {
  const outDir = join(root, ".build", `warm-up-${process.pid}`);
  // As in a run; restored after, or the snapshot would keep them off even under HOMELAB_DEBUG.
  const restoreStackTraces = stackTracesOff();
  try {
    synthesize({ clusterFile: join(root, "cluster", "homelab.yaml"), outDir, root });
  } catch {
    // A spec being edited may be invalid: loading and validating it still warmed the loader.
  } finally {
    restoreStackTraces();
    // The output and the spare it leaves for a next synth that never comes.
    for (const dir of [outDir, outputPaths(outDir).spare]) rmSync(dir, { recursive: true, force: true });
  }
}
