// What `npm run bench` computes from its samples: per-case medians, min/max and peak RSS, the
// ratios the performance targets are stated in, the same ratio within each round, and how the
// cost per VM or app grows with the lab.

export interface Sample {
  readonly ms: number;
  /** The round it was measured in (none for the warm-up). */
  readonly round?: number;
  /** Undefined without GNU time. */
  readonly rssKiB?: number;
}

export interface CaseStats {
  readonly description: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianPeakRssMiB: number | undefined;
}

/** Each case's statistics, by case name, in the order of `cases`. */
export function caseStats(cases: readonly { readonly name: string; readonly description: string }[], samples: ReadonlyMap<string, Sample[]>) {
  return Object.fromEntries(
    cases.map((c): [string, CaseStats] => {
      const s = samples.get(c.name)!;
      const ms = s.map((x) => x.ms);
      return [
        c.name,
        {
          description: c.description,
          runs: s.length,
          medianMs: median(ms),
          minMs: Math.min(...ms),
          maxMs: Math.max(...ms),
          medianPeakRssMiB: s.every((x) => x.rssKiB !== undefined) ? median(s.map((x) => x.rssKiB!)) / 1024 : undefined,
        },
      ];
    }),
  );
}

/** The target each ratio is held to (docs/performance.md). */
export const ratioTargets = {
  "npm-run-synth/floor": "≤ 1.5",
  "synth/floor": "(without npm's own start)",
  "large/synth": "≤ 3",
  "cli/synth": "≥ 5",
  "diff/synth": "≤ 2",
  "publish/synth": "≤ 2",
};

/** The ratios of medians the targets are stated in ("a/b": case a over case b); undefined where a case did not run. */
export function targetRatios(stats: Record<string, CaseStats>): Record<keyof typeof ratioTargets, number | undefined> {
  const ratio = (key: string) => {
    const [a, b] = key.split("/");
    return stats[a] && stats[b] ? stats[a].medianMs / stats[b].medianMs : undefined;
  };
  return Object.fromEntries(Object.keys(ratioTargets).map((key) => [key, ratio(key)])) as Record<keyof typeof ratioTargets, number | undefined>;
}

/**
 * a/b within each round, where both ran: the two ran seconds apart, under the same
 * load, so the spread of these shows how much of a ratio's movement is the host's.
 */
export function pairedRatios(a: readonly Sample[] | undefined, b: readonly Sample[] | undefined) {
  const byRound = new Map((b ?? []).map((x) => [x.round, x.ms]));
  const ratios = (a ?? []).filter((x) => byRound.has(x.round)).map((x) => x.ms / byRound.get(x.round)!);
  if (!ratios.length) return undefined;
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length };
}

/**
 * Whether synth grows linearly: the time each added VM or app costs from 1× to 2× the large lab,
 * over what each cost from the reference lab to 1×. Above 1, cost grows faster than the lab.
 */
export function perUnitGrowth(stats: Record<string, { medianMs: number }>, units: Record<"synth" | "large" | "large-2x", number>) {
  const [ref, one, two] = [stats.synth, stats.large, stats["large-2x"]];
  if (!ref || !one || !two) return undefined;
  const firstMs = (one.medianMs - ref.medianMs) / (units.large - units.synth);
  const secondMs = (two.medianMs - one.medianMs) / (units["large-2x"] - units.large);
  return { units, msPerUnit: { referenceTo1x: firstMs, "1xTo2x": secondMs }, growth: secondMs / firstMs };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
