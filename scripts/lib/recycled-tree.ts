// The output before last is kept beside the output as a spare (.dist.spare) and becomes the
// next synth's temporary directory: a file that already holds its new content is left as it is,
// a changed one is replaced by a new file (never written in place: another link to it, a
// backup made with `cp -al`, keeps its content), the ones this synth does not write are removed.
// Creating files and directories is what costs on some file systems, so a synth that rewrites
// the same files creates almost none: a speed shortcut (lib/plain-mode.ts).
// The spare carries its proof: a manifest (.synth-spare.json) listing each of its files with the
// hash of its content. It is taken only while it holds exactly that — plain directories and
// those files, each unchanged — and otherwise left alone: synth deletes nothing it cannot prove
// it wrote.
import { mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, unlinkSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { lstatOrUndefined } from "./output-location";
import { contentHash, isOutputPath, markerFile } from "./output-marker";
import { readRegular, replaceFile } from "./regular-files";

const manifestFile = ".synth-spare.json";
const generator = "homelab-synth";

/** A file of the recycled tree: the hash of its content and how many links it has. */
export interface RecycledFile {
  readonly hash: string;
  readonly links: number;
}

/**
 * Moves the spare into place as `temp` and returns its files (relative, '/'-separated), or
 * undefined when it was not taken (there is none, or it is not provably synth's; temp is then
 * to be made empty).
 */
export function takeSpare(spare: string, temp: string): Map<string, RecycledFile> | undefined {
  const files = verifiedSpare(spare);
  if (!files) return undefined;
  try {
    renameSync(spare, temp);
  } catch {
    return undefined;
  }
  rmSync(join(temp, manifestFile), { force: true });
  // Empty folders the old output had (a user's, left as nothing) do not come back with the spare.
  removeEmptyDirs(temp);
  mkdirSync(temp, { recursive: true });
  return files;
}

/** The spare's files when it is exactly what its manifest lists; else undefined. */
function verifiedSpare(spare: string): Map<string, RecycledFile> | undefined {
  if (!lstatOrUndefined(spare)?.isDirectory()) return undefined;
  const listed = readManifest(spare);
  if (!listed) return undefined;
  const files = new Map<string, RecycledFile>();
  let plain = true;
  const visit = (sub: string) => {
    for (const entry of readdirSync(sub ? join(spare, sub) : spare, { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (path !== manifestFile) {
        const read = entry.isFile() ? readRegular(join(spare, path)) : undefined;
        const hash = read && contentHash(read.content);
        if (!read || hash === undefined || hash !== listed.get(path)) plain = false;
        else files.set(path, { hash, links: read.links });
      }
      if (!plain) return;
    }
  };
  try {
    visit("");
  } catch {
    return undefined;
  }
  return plain ? files : undefined;
}

function readManifest(dir: string): Map<string, string> | undefined {
  const read = readRegular(join(dir, manifestFile));
  if (!read) return undefined;
  try {
    const manifest = JSON.parse(read.content.toString("utf8")) as { generator?: unknown; files?: Record<string, unknown> };
    if (manifest.generator !== generator || !manifest.files || typeof manifest.files !== "object") return undefined;
    const files = new Map<string, string>();
    for (const [path, hash] of Object.entries(manifest.files))
      if ((isOutputPath(path) || path === markerFile) && typeof hash === "string") files.set(path, hash);
    return files;
  } catch {
    return undefined;
  }
}

/**
 * Retires an old output once the user's entries have left it: it becomes the spare (when
 * `spare` is given and that name is free), or synth's files in it are deleted. `ours`: its files
 * that are synth's, with their hashes. Returns a warning when something stays behind.
 */
export function retireOutput(old: string, ours: ReadonlyMap<string, string>, spare: string | undefined): string | undefined {
  if (spare && !lstatOrUndefined(spare)) {
    try {
      replaceFile(join(old, manifestFile), `${JSON.stringify({ generator, files: Object.fromEntries(ours) })}\n`);
      renameSync(old, spare);
      return undefined;
    } catch {
      rmSync(join(old, manifestFile), { force: true });
    }
  }
  return removeOurs(old, ours.keys());
}

/** Deletes `ours` (relative to dir), then every directory that holds nothing else, dir included; what is left stays. */
export function removeOurs(dir: string, ours: Iterable<string>): string | undefined {
  let failed: string | undefined;
  for (const file of ours) {
    try {
      unlinkSync(join(dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") failed ??= `${file}: ${(error as Error).message}`;
    }
  }
  removeEmptyDirs(dir);
  if (!lstatOrUndefined(dir)) return undefined;
  return `${dir} was left behind (${failed ?? "it holds files synth did not write"}); remove it yourself`;
}

/** Removes dir's empty directories, deepest first, and dir itself when that empties it (rmdir never removes content). */
function removeEmptyDirs(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyDirs(join(dir, entry.name));
    rmdirSync(dir);
  } catch {
    // not empty, or gone
  }
}

/**
 * Removes the recycled files (listed before this synth wrote) that it did not write, then the
 * directories that left empty.
 */
export function pruneLeftovers(temp: string, leftovers: Iterable<string>, written: (path: string) => boolean): void {
  const emptied = new Set<string>();
  for (const file of leftovers) {
    const path = join(temp, file);
    if (written(path)) continue;
    rmSync(path, { force: true });
    // `file` is relative to temp, so walking up reaches temp.
    for (let dir = dirname(path); dir !== temp; dir = dirname(dir)) emptied.add(dir);
  }
  // Deepest first; a directory still holding something stays.
  for (const dir of [...emptied].sort((a, b) => b.split(sep).length - a.split(sep).length)) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty: it holds files of this synth
    }
  }
}

/** A write failed because the recycled tree has a directory where a file goes, or the reverse. */
export function isTreeConflict(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST" || code === "ENOTEMPTY";
}
