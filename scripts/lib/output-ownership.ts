// Which parts of an existing output are synth's and which are the user's. A path is synth's only
// while it is a regular file whose content is what synth wrote there: the hash its marker records
// (output-marker.ts), or — for a marker of an older synth, which records none, or no marker at
// all — exactly what synth writes there now (replacing it loses nothing). A file git reports
// unmerged at a path synth writes is synth's by git's word (two clones both synthesized), and so
// is a file git merged from two synths' versions while the marker itself is in conflict.
// Everything else — a changed file, an unknown one, a directory, a link, a FIFO — is the user's:
// it moves into the new output as it is, and where it sits on a path synth must write, synth
// refuses, naming it. Never overwritten, never deleted.
import { readdirSync } from "node:fs";
import { relative } from "node:path";
import { lstatOrUndefined } from "./output-location";
import { contentHash, markerFile, readMarker, type MarkerRecords } from "./output-marker";
import { mergeState, type MergeState } from "./merge-state";
import { readRegular } from "./regular-files";
import { isTerraformWorkFile } from "./terraform-work-files";
import { UsageError } from "./usage-error";

export interface OutputOwnership {
  /** Synth's files in the current output (and its marker), with their content hashes: replaced or deleted. */
  readonly ours: ReadonlyMap<string, string>;
  /** The user's entries, each as high up as nothing of synth's lies below it: moved into the new output. */
  readonly userEntries: readonly string[];
  /** Files git reported unmerged (or merged from two synths) that synth regenerates. */
  readonly regenerated: readonly string[];
}

const none: OutputOwnership = { ours: new Map(), userEntries: [], regenerated: [] };

/** What an entry is, for the user's messages. */
type Kind = "file" | "directory" | "symlink" | "special";

/**
 * Sorts the current output `final` into synth's files and the user's entries, refusing (a
 * UsageError naming them) when a user's entry sits where synth writes, or when a directory
 * without synth's marker holds anything of the user's but Terraform's working files.
 * @param written the files the new synth writes, with their content hashes
 * Git is asked (about a merge in progress) only when a file of the user's seems to be in the way.
 */
export function outputOwnership(final: string, written: ReadonlyMap<string, string>): OutputOwnership {
  if (!isOutputDir(final)) return none;
  const entries = new Map<string, Kind>();
  const marker = readMarker(final);
  const hashes = new Map<string, string | undefined>();
  const hashOf = (path: string) => {
    if (!hashes.has(path)) {
      const read = readRegular(`${final}/${path}`);
      hashes.set(path, read && contentHash(read.content));
    }
    return hashes.get(path);
  };
  collectEntries(final, new Set([...(marker?.keys() ?? []), ...written.keys()]), entries);
  let merge: MergeState | undefined;
  let verdict = judge(entries, marker, written, hashOf, undefined);
  if (verdict.refusal) {
    // Only now is git asked: a merge in progress may make those files synth's.
    merge = mergeState(final);
    if (merge?.markerStages.length) {
      // Paths the conflicting markers list, below directories the first walk did not enter.
      entries.clear();
      collectEntries(final, new Set([...merge.markerStages.flatMap((r) => [...r.keys()]), ...(marker?.keys() ?? []), ...written.keys()]), entries);
    }
    if (merge) verdict = judge(entries, marker, written, hashOf, merge);
  }
  if (verdict.refusal) throw new UsageError(verdict.refusal(relative(process.cwd(), final) || final));
  return verdict.ownership;
}

/** Whether an output exists; refuses one that is a symlink or a file. */
export function isOutputDir(final: string): boolean {
  const stat = lstatOrUndefined(final);
  if (!stat) return false;
  const shown = relative(process.cwd(), final) || final;
  if (stat.isSymbolicLink()) throw new UsageError(`${shown} is a symlink; synth writes only into a real directory inside the repository`);
  if (!stat.isDirectory()) throw new UsageError(`${shown} is a file, not a directory; choose another --out`);
  return true;
}

/**
 * The entries of dir: every file, link and special file, entering only the directories `wanted`
 * paths lie in; any other directory is one entry (the user's, unless it is empty).
 */
function collectEntries(dir: string, wanted: ReadonlySet<string>, entries: Map<string, Kind>): void {
  const wantedDirs = new Set<string>();
  for (const path of wanted) for (let at = path.lastIndexOf("/"); at > 0; at = path.lastIndexOf("/", at - 1)) wantedDirs.add(path.slice(0, at));
  const visit = (sub: string) => {
    for (const entry of readdirSync(sub ? `${dir}/${sub}` : dir, { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (wantedDirs.has(path)) visit(path);
        else if (!isEmptyDir(`${dir}/${path}`)) entries.set(path, "directory");
      } else entries.set(path, entry.isFile() ? "file" : entry.isSymbolicLink() ? "symlink" : "special");
    }
  };
  visit("");
}

function isEmptyDir(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

interface Verdict {
  readonly ownership: OutputOwnership;
  /** The refusal's message (given how to show the output), when there is one. */
  readonly refusal?: (shown: string) => string;
}

function judge(
  entries: ReadonlyMap<string, Kind>,
  marker: MarkerRecords | undefined,
  written: ReadonlyMap<string, string>,
  hashOf: (path: string) => string | undefined,
  merge: MergeState | undefined,
): Verdict {
  const ours = new Map<string, string>();
  const user: string[] = [];
  const regenerated: string[] = [];
  const why = new Map<string, string>();
  for (const [path, kind] of entries) {
    if (kind !== "file") {
      user.push(path);
      why.set(path, kind === "directory" ? "a directory" : kind === "symlink" ? "a symlink" : "not a regular file");
      continue;
    }
    if (path === markerFile) {
      ours.set(path, hashOf(path) ?? "");
      continue;
    }
    const recorded = marker?.get(path);
    const fromMerge = merge?.markerStages.map((r) => r.get(path)).filter((h): h is string => h !== undefined) ?? [];
    const wanted = written.get(path);
    // Read only what synth may claim: a file its marker lists, or one it writes now.
    if (recorded === undefined && wanted === undefined && !fromMerge.length) {
      user.push(path);
      why.set(path, "not written by synth");
      continue;
    }
    const hash = hashOf(path);
    if (hash !== undefined && (hash === recorded || hash === wanted || fromMerge.includes(hash))) {
      ours.set(path, hash);
    } else if (hash !== undefined && wanted !== undefined && merge && (merge.unmerged.has(path) || mergedFromTwoSynths(path, merge))) {
      ours.set(path, hash);
      regenerated.push(path);
    } else {
      user.push(path);
      why.set(path, marker?.has(path) && recorded !== undefined ? "changed since synth wrote it" : "not what synth wrote there");
    }
  }
  user.sort();
  const ownership = { ours, userEntries: user, regenerated: regenerated.sort() };
  const hasMarker = marker !== undefined || Boolean(merge?.markerStages.length);
  const valuable = hasMarker ? [] : user.filter((path) => !isTerraformWorkFile(path));
  if (valuable.length) {
    return {
      ownership,
      refusal: (shown) =>
        `${shown} holds files not written by synth (${list(valuable)}) and has no ${markerFile}; synth replaces only directories it created. Choose another --out, or move those files away`,
    };
  }
  const clashes = collisions(user, written);
  if (clashes.length) {
    return {
      ownership,
      refusal: (shown) =>
        `${list(clashes.map((path) => `${shown}/${path} (${why.get(path)})`))} ${clashes.length === 1 ? "is" : "are"} not synth's, but synth writes there now; ` +
        `synth never overwrites or deletes a file it did not write: move ${clashes.length === 1 ? "it" : "them"} away (or delete ${clashes.length === 1 ? "it" : "them"}) and run synth again`,
    };
  }
  return { ownership };
}

/** A file git merged cleanly from two synths' versions (the marker, in conflict, lists it on both sides) and nobody edited since. */
function mergedFromTwoSynths(path: string, merge: MergeState): boolean {
  return merge.markerStages.filter((stage) => stage.has(path)).length >= 2 && !merge.editedSinceIndex.has(path);
}

const list = (paths: readonly string[]) => `${paths.slice(0, 3).join(", ")}${paths.length > 3 ? `, … (${paths.length} in all)` : ""}`;

/** User entries that synth's files would land on: the same path, a path below one, or one of its folders. */
export function collisions(userEntries: readonly string[], written: ReadonlyMap<string, string> | ReadonlySet<string>): string[] {
  const writtenDirs = new Set<string>();
  for (const file of written.keys()) for (let at = file.lastIndexOf("/"); at > 0; at = file.lastIndexOf("/", at - 1)) writtenDirs.add(file.slice(0, at));
  return userEntries.filter((entry) => {
    if (written.has(entry) || writtenDirs.has(entry)) return true;
    for (let at = entry.lastIndexOf("/"); at > 0; at = entry.lastIndexOf("/", at - 1)) if (written.has(entry.slice(0, at))) return true;
    return false;
  });
}
