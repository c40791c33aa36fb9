// `npm run bench [-- --reps 7] [-- --skip-cli]`: whole-process timings of synth, measured in
// one run, interleaved (rotating order), after a warm-up round; medians, min/max, peak RSS
// and the ratios the performance targets are stated in. Writes bench/results.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { yamlText } from "../charts/yaml-text";
import { largeLabFromFile } from "../scripts/lib/large-lab";

const root = resolve(__dirname, "..");
const work = join(root, ".bench");
const probe = join(root, "bench", "rss-probe.cjs");
const runner = join(root, "scripts", "run.cjs");

interface Case {
  readonly name: string;
  readonly description: string;
  /** Commands run one after the other; the case's time is their sum. */
  readonly commands: readonly (readonly string[])[];
}

interface Sample {
  readonly ms: number;
  readonly rssKiB: number;
}

function main(): void {
  const { values } = parseArgs({ options: { reps: { type: "string", default: "7" }, "skip-cli": { type: "boolean", default: false } }, strict: true });
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error("--reps takes a whole number ≥ 1");
  mkdirSync(work, { recursive: true });
  const large = join(work, "large.yaml");
  writeFileSync(large, yamlText(largeLabFromFile(join(root, "cluster", "homelab.yaml"))));

  const cases: Case[] = [
    { name: "floor", description: "node requiring cdktf, cdk8s, cdk8s-plus-30", commands: [[process.execPath, "-e", "require('cdktf');require('cdk8s');require('cdk8s-plus-30')"]] },
    { name: "synth", description: "synth of the reference lab (what `npm run synth` runs)", commands: [[process.execPath, runner, "scripts/synth.ts", "--out", ".bench/ref", "--quiet"]] },
    { name: "npm-run-synth", description: "the same through npm (`npm run synth`)", commands: [["npm", "run", "-s", "synth", "--", "--out", ".bench/ref-npm", "--quiet"]] },
    { name: "large", description: "synth of the generated large lab (4 nodes, 100 VMs, 300 apps)", commands: [[process.execPath, runner, "scripts/synth.ts", "--cluster", large, "--out", ".bench/large", "--quiet"]] },
  ];
  if (!values["skip-cli"]) {
    cases.push({
      name: "cli",
      description: "`cdktf synth` + `cdk8s synth` through their CLIs on this project",
      commands: [
        ["npx", "-y", "cdktf-cli@0.21.0", "synth", "--output", ".bench/cdktf.out"],
        [join(root, "node_modules", ".bin", "cdk8s"), "synth", "--check-upgrade", "false", "--output", ".bench/cdk8s.out"],
      ],
    });
  }

  process.stdout.write(`warm-up (builds caches; the first cdktf-cli run downloads it)…\n`);
  const available = cases.filter((c) => {
    const ok = runCase(c) !== undefined;
    if (!ok) process.stdout.write(`  ${c.name}: failed, left out of this run\n`);
    return ok;
  });

  const samples = new Map<string, Sample[]>(available.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    // Rotate the order each round, so no case always runs right after another.
    for (let i = 0; i < available.length; i++) {
      const c = available[(i + rep) % available.length];
      const sample = runCase(c);
      if (sample) samples.get(c.name)!.push(sample);
    }
    process.stdout.write(`round ${rep + 1}/${reps}\r`);
  }

  const stats = Object.fromEntries(
    available.map((c) => {
      const s = samples.get(c.name)!;
      const ms = s.map((x) => x.ms);
      return [c.name, { description: c.description, runs: s.length, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), medianPeakRssMiB: median(s.map((x) => x.rssKiB)) / 1024 }];
    }),
  );
  const ratio = (a: string, b: string) => (stats[a] && stats[b] ? stats[a].medianMs / stats[b].medianMs : undefined);
  const ratios = { "synth/floor": ratio("synth", "floor"), "large/synth": ratio("large", "synth"), "cli/synth": ratio("cli", "synth") };
  const targets = { "synth/floor": "≤ 1.5", "large/synth": "≤ 3", "cli/synth": "≥ 5" };

  const lines = [
    "",
    `${"case".padEnd(14)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)} ${"peak RSS".padStart(9)}  what`,
    ...available.map((c) => {
      const s = stats[c.name];
      return `${c.name.padEnd(14)} ${fmt(s.medianMs)} ${fmt(s.minMs)} ${fmt(s.maxMs)} ${`${s.medianPeakRssMiB.toFixed(0)} MiB`.padStart(9)}  ${c.description}`;
    }),
    "",
    ...Object.entries(ratios).map(([k, v]) => `${k.padEnd(12)} ${v === undefined ? "n/a" : v.toFixed(2).padStart(5)}   (target ${targets[k as keyof typeof targets]})`),
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const machine = { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify({ date: new Date().toISOString(), machine, reps, stats, ratios }, null, 2)}\n`);
  process.stdout.write(`results: bench/results.json (${machine.cpus} cores, ${machine.memoryGiB} GiB, node ${machine.node})\n`);
}

function runCase(c: Case): Sample | undefined {
  const rssFile = join(work, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  let ms = 0;
  for (const [command, ...args] of c.commands) {
    const started = performance.now();
    const result = spawnSync(command, args, {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, BENCH_RSS_FILE: rssFile, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    ms += performance.now() - started;
    if (result.status !== 0) {
      process.stderr.write(`${c.name}: ${[command, ...args].join(" ")} exited ${result.status}\n${(result.stderr ?? "").slice(-600)}\n`);
      return undefined;
    }
  }
  const rss = existsSync(rssFile) ? readFileSync(rssFile, "utf8").trim().split("\n").map((l) => Number(l.split("\t")[1])) : [0];
  return { ms, rssKiB: Math.max(...rss) };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(3)}s`.padStart(8);

main();
