// `npm run bench` (--help says how): whole-process timings of synth, measured in
// one run, interleaved (rotating order), after a warm-up round; medians, min/max, peak RSS,
// the ratios the performance targets are stated in, and how the cost per VM or app grows from
// the large lab to twice its size. Writes bench/results.json.
// Peak RSS comes from GNU time (Debian package `time`), which reads it from wait4(): a preload
// through NODE_OPTIONS would change what is measured (synth.sh runs plainly under NODE_OPTIONS).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { readSpecYaml } from "../cluster/spec-yaml";
import { yamlText } from "../lib/yaml-text";
import { commandArgs, exitCodes, reportFailure, type Command } from "../scripts/lib/cli";
import { largeLabFromFile } from "../scripts/lib/large-lab";
import { UsageError } from "../scripts/lib/usage-error";
import { caseStats, pairedRatios, perUnitGrowth, ratioTargets, targetRatios, type CaseStats, type Sample } from "./statistics";
import { npmScriptArgv, workflowCases } from "./workflow-labs";

const root = resolve(__dirname, "..");
const work = join(root, ".bench");
const gnuTime = "/usr/bin/time";
/** Where GNU time writes each command's peak RSS; removed when the run ends. */
const rssFile = join(work, `rss-${process.pid}.txt`);

interface Case {
  readonly name: string;
  readonly description: string;
  /** Commands run one after the other; the case's time is their sum. */
  readonly commands: readonly (readonly string[])[];
  /** Where they run (default: this repository). */
  readonly cwd?: string;
  /** Exit codes that mean success (default: 0; `npm run diff` exits 1 when it shows changes). */
  readonly ok?: readonly number[];
  /** Untimed, before each run. */
  readonly prepare?: () => void;
}

const command: Command = {
  name: "bench",
  help: `usage: npm run bench -- [--reps 7] [--skip-cli]

Times whole processes, interleaved in rotating order after a warm-up round: the floor (a node
that only loads cdktf, cdk8s and cdk8s-plus-30), synth of the reference lab (with and without
npm), of the generated large lab and of its double, diff and publish in scratch clones, and the
cdktf/cdk8s CLIs. Prints medians, min/max, peak RSS and the ratios the performance goal is stated
in (docs/performance.md), and writes bench/results.json. A case that fails is left out of the
measured rounds and makes the exit code 1.

  --reps <n>    measured rounds (default: 7)
  --skip-cli    leave out the CLI case (it downloads cdktf-cli on its first run)
  --help, -h    this text`,
  options: { reps: { type: "string", default: "7" }, "skip-cli": { type: "boolean", default: false } },
};

function main(): number {
  const values = commandArgs(command, process.argv.slice(2));
  if (!values) return exitCodes.ok;
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new UsageError("--reps takes a whole number ≥ 1");
  mkdirSync(work, { recursive: true });
  const labs = writeLabs();
  const cases = benchCases(labs, !values["skip-cli"]);
  const available = warmUp(cases);
  const samples = measure(available, reps);
  report(available, samples, labs, reps);
  // A case that fails is a broken command, not a slow one: the run says so in its exit code.
  const failed = cases.filter((c) => !available.includes(c)).map((c) => c.name);
  if (failed.length) process.stderr.write(`bench: ${failed.join(", ")} failed (see above); their ratios are missing\n`);
  return failed.length ? exitCodes.changesOrFindings : exitCodes.ok;
}

interface Labs {
  readonly large: string;
  readonly large2x: string;
  /** What each lab's cost grows with: its VMs and apps, by the case that synthesizes it. */
  readonly units: Record<"synth" | "large" | "large-2x", number>;
}

function writeLabs(): Labs {
  const reference = join(root, "cluster", "homelab.yaml");
  const large = join(work, "large.yaml");
  const large2x = join(work, "large-2x.yaml");
  const units = (spec: Record<string, unknown>) => (spec.vms as unknown[]).length + (spec.apps as unknown[]).length;
  const write = (file: string, spec: Record<string, unknown>) => {
    writeFileSync(file, yamlText(spec));
    return units(spec);
  };
  const referenceSpec = readSpecYaml(readFileSync(reference, "utf8"), reference).data as Record<string, unknown>;
  return {
    large,
    large2x,
    units: { synth: units(referenceSpec), large: write(large, largeLabFromFile(reference)), "large-2x": write(large2x, largeLabFromFile(reference, doubled)) },
  };
}

function benchCases(labs: Labs, cli: boolean): Case[] {
  // Exactly what `npm run synth` runs, minus npm: the script of package.json.
  const synth = npmScriptArgv(root, "synth");
  const cases: Case[] = [
    {
      name: "floor",
      description: "node requiring cdktf, cdk8s, cdk8s-plus-30",
      commands: [[process.execPath, "-e", "require('cdktf');require('cdk8s');require('cdk8s-plus-30')"]],
    },
    { name: "synth", description: "synth of the reference lab (what `npm run synth` runs)", commands: [[...synth, "--out", ".bench/ref", "--quiet"]] },
    {
      name: "npm-run-synth",
      description: "the same through npm (`npm run synth`)",
      commands: [["npm", "run", "-s", "synth", "--", "--out", ".bench/ref-npm", "--quiet"]],
    },
    {
      name: "large",
      description: "synth of the generated large lab (4 nodes, 100 VMs, 300 apps)",
      commands: [[...synth, "--cluster", labs.large, "--out", ".bench/large", "--quiet"]],
    },
    {
      name: "large-2x",
      description: "the same lab doubled (8 nodes, 200 VMs, 600 apps)",
      commands: [[...synth, "--cluster", labs.large2x, "--out", ".bench/large-2x", "--quiet"]],
    },
  ];
  // The operator's loop on the reference lab, each in a scratch clone (bench/workflow-labs.ts).
  cases.push(...workflowCases(root, work));
  if (cli) {
    cases.push({
      name: "cli",
      description: "`cdktf synth` + `cdk8s synth` through their CLIs on this project",
      commands: [
        ["npx", "-y", "cdktf-cli@0.21.0", "synth", "--output", ".bench/cdktf.out"],
        [join(root, "node_modules", ".bin", "cdk8s"), "synth", "--check-upgrade", "false", "--output", ".bench/cdk8s.out"],
      ],
    });
  }
  return cases;
}

/** One untimed run of each case (caches, snapshots); the cases that failed are left out. */
function warmUp(cases: Case[]): Case[] {
  process.stdout.write(`warm-up (builds caches; the first cdktf-cli run downloads it)…\n`);
  return cases.filter((c) => {
    const ok = runCase(c) !== undefined;
    if (!ok) process.stdout.write(`  ${c.name}: failed, left out of this run\n`);
    return ok;
  });
}

function measure(cases: readonly Case[], reps: number): Map<string, Sample[]> {
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    // Rotate the order each round, so no case always runs right after another.
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + rep) % cases.length];
      const sample = runCase(c);
      if (sample) samples.get(c.name)!.push({ ...sample, round: rep });
    }
    // One line per round where nothing redraws a line (CI logs, a pipe).
    process.stdout.write(process.stdout.isTTY ? `round ${rep + 1}/${reps}\r` : `round ${rep + 1}/${reps}\n`);
  }
  return samples;
}

function report(available: readonly Case[], samples: ReadonlyMap<string, Sample[]>, labs: Labs, reps: number): void {
  const stats = caseStats(available, samples);
  const ratios = targetRatios(stats);
  const largePerRound = pairedRatios(samples.get("large"), samples.get("synth"));
  const scaling = perUnitGrowth(stats, labs.units);
  process.stdout.write(`${summaryLines(available, stats, ratios, largePerRound, scaling).join("\n")}\n`);
  const machine = { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  writeFileSync(
    join(root, "bench", "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), machine, reps, stats, ratios, largePerRound, scaling }, null, 2)}\n`,
  );
  process.stdout.write(`results: bench/results.json (${machine.cpus} cores, ${machine.memoryGiB} GiB, node ${machine.node})\n`);
}

/** The table of cases, then each ratio against its target, as printed. */
function summaryLines(
  available: readonly Case[],
  stats: Record<string, CaseStats>,
  ratios: ReturnType<typeof targetRatios>,
  largePerRound: ReturnType<typeof pairedRatios>,
  scaling: ReturnType<typeof perUnitGrowth>,
): string[] {
  return [
    "",
    `${"case".padEnd(14)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)} ${"peak RSS".padStart(9)}  what`,
    ...available.map((c) => {
      const s = stats[c.name];
      return `${c.name.padEnd(14)} ${fmt(s.medianMs)} ${fmt(s.minMs)} ${fmt(s.maxMs)} ${(s.medianPeakRssMiB === undefined ? "n/a" : `${s.medianPeakRssMiB.toFixed(0)} MiB`).padStart(9)}  ${c.description}`;
    }),
    "",
    ...Object.entries(ratios).map(
      ([k, v]) => `${k.padEnd(20)} ${v === undefined ? "n/a" : v.toFixed(2).padStart(5)}   (target ${ratioTargets[k as keyof typeof ratioTargets]})`,
    ),
    ...(largePerRound
      ? [
          `${"  per round".padEnd(20)} ${largePerRound.median.toFixed(2).padStart(5)}   (large/synth within each round: median, ${largePerRound.min.toFixed(2)}–${largePerRound.max.toFixed(2)} over ${largePerRound.rounds} rounds)`,
        ]
      : []),
    `${"large RSS".padEnd(20)} ${stats.large?.medianPeakRssMiB === undefined ? "n/a" : `${stats.large.medianPeakRssMiB.toFixed(0)} MiB`}   (target < 400 MiB)`,
    `${"per-unit".padEnd(20)} ${scaling === undefined ? "n/a" : scaling.growth.toFixed(2).padStart(5)}   (time per VM or app from 1× to 2× the large lab, over that from the reference to 1×; 1.00 = linear)`,
    ...(existsSync(gnuTime) ? [] : ["peak RSS needs GNU time: apt-get install time"]),
    "",
  ];
}

/** The benchmark's second size: twice the large lab. */
const doubled = { nodes: 8, vms: 200, apps: 600 };

function runCase(c: Case): Sample | undefined {
  c.prepare?.();
  const measureRss = existsSync(gnuTime);
  let ms = 0;
  let rssKiB = 0;
  for (const command of c.commands) {
    const argv = measureRss ? [gnuTime, "--format", "%M", "--output", rssFile, ...command] : command;
    const started = performance.now();
    const result = spawnSync(argv[0], argv.slice(1), {
      cwd: c.cwd ?? root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    ms += performance.now() - started;
    if (!(c.ok ?? [0]).includes(result.status ?? -1)) {
      process.stderr.write(`${c.name}: ${command.join(" ")} exited ${result.status}\n${(result.stderr ?? "").slice(-600)}\n`);
      return undefined;
    }
    // wait4() reports the child's peak including the children it waited for.
    if (measureRss) rssKiB = Math.max(rssKiB, Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()));
  }
  return { ms, rssKiB: measureRss ? rssKiB : undefined };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(3)}s`.padStart(8);

try {
  process.exitCode = main();
} catch (error) {
  process.exitCode = reportFailure("bench", error);
} finally {
  rmSync(rssFile, { force: true });
}
