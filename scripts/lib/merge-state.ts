// What git says about a merge inside an output: two clones that both synthesized and committed
// conflict in synth's files, and in its marker. Git's word decides which of those files synth
// may regenerate (output-ownership.ts); synth asks only when a file is in its way, so a synth
// outside a merge runs no git at all.
import { Git } from "./git";
import { markerFile, parseMarker, type MarkerRecords } from "./output-marker";

export interface MergeState {
  /** Paths below the output (relative, '/'-separated) that git reports unmerged (`git ls-files -u`). */
  readonly unmerged: ReadonlySet<string>;
  /** When the marker itself is unmerged: what each of its conflict stages (base, ours, theirs) records. */
  readonly markerStages: readonly MarkerRecords[];
  /** Paths whose file on disk differs from git's index (edited since git wrote it). */
  readonly editedSinceIndex: ReadonlySet<string>;
}

/** Git's view of the merge below outDir (in whichever repository holds it); undefined outside git, or without git. */
export function mergeState(outDir: string): MergeState | undefined {
  // Run in outDir itself: paths come relative to it (ls-files by default, diff with --relative).
  const git = new Git(outDir);
  let listing: string;
  try {
    listing = git.read(["ls-files", "-u", "-z", "--", "."]);
  } catch {
    return undefined;
  }
  const unmerged = new Set<string>();
  const markerStageIds: string[] = [];
  for (const line of listing.split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const path = line.slice(tab + 1);
    unmerged.add(path);
    if (path === markerFile) markerStageIds.push(line.slice(0, tab).split(" ")[1]);
  }
  if (!unmerged.size) return { unmerged, markerStages: [], editedSinceIndex: new Set() };
  const stages = markerStageIds.length ? git.blobs(markerStageIds) : new Map<string, Buffer>();
  const markerStages = [...stages.values()].map((blob) => parseMarker(blob.toString("utf8"))).filter((r): r is MarkerRecords => r !== undefined);
  const edited = git.read(["diff", "--name-only", "-z", "--no-renames", "--relative", "--", "."]).split("\0").filter(Boolean);
  return { unmerged, markerStages, editedSinceIndex: new Set(edited) };
}
