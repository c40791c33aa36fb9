// The output before last is kept beside the output as a spare (.dist.spare) and becomes the
// next synth's temporary directory: its files are overwritten in place (or left alone when they
// already hold their new content), the ones this synth does not write are removed, and the swap
// proceeds as before. Creating files and directories is what costs on some file systems, so a
// synth that rewrites the same files creates almost none: a speed shortcut (lib/plain-mode.ts).
// The spare is scratch: never restored, read only to compare, and taken only while it is exactly
// what synth left there — our marker, plain directories and regular files, no symlink.
import { lstatSync, readdirSync, renameSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { ownedFiles } from "./output-marker";

/** Moves the spare into place as `temp`; whether it did (else temp is to be made empty). */
export function takeSpare(spare: string, temp: string): boolean {
  if (!isPlainTree(spare) || !ownedFiles(spare)) {
    // rmSync removes a symlink itself, never what it points to.
    rmSync(spare, { recursive: true, force: true });
    return false;
  }
  try {
    renameSync(spare, temp);
    return true;
  } catch {
    rmSync(spare, { recursive: true, force: true });
    return false;
  }
}

/** Keeps a retired output (synth's files only) as the next run's spare. */
export function keepAsSpare(old: string, spare: string): void {
  rmSync(spare, { recursive: true, force: true });
  renameSync(old, spare);
}

/** A real directory holding only directories and regular files. */
function isPlainTree(dir: string): boolean {
  try {
    if (!lstatSync(dir).isDirectory()) return false;
    return readdirSync(dir, { withFileTypes: true, recursive: true }).every((entry) => entry.isDirectory() || entry.isFile());
  } catch {
    return false;
  }
}

/**
 * Removes the recycled files (listed before this synth wrote) that it did not write, then the
 * directories that left empty.
 */
export function pruneLeftovers(temp: string, leftovers: ReadonlySet<string>, written: (path: string) => boolean): void {
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
  return code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST";
}
