// The output before last is kept beside the output as a spare (.dist.spare) and becomes the
// next synth's temporary directory: its files are overwritten in place (or left alone when they
// already hold their new content), the ones this synth does not write are removed, and the swap
// proceeds as before. Creating files and directories is what costs on some file systems, so a
// synth that rewrites the same files creates almost none: a speed shortcut (lib/plain-mode.ts).
// The spare is scratch: never restored, read only to compare, and taken only while it is exactly
// what synth left there — our marker, plain directories and regular files, no symlink.
import { lstatSync, renameSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { ownedFiles } from "./output-marker";
import { listFiles } from "./output-tree";

/**
 * Moves the spare into place as `temp` and returns the files it holds (relative, '/'-separated),
 * or undefined when it was not taken (temp is then to be made empty).
 */
export function takeSpare(spare: string, temp: string): string[] | undefined {
  const files = plainTreeFiles(spare);
  if (!files || !ownedFiles(spare)) {
    // rmSync removes a symlink itself, never what it points to.
    rmSync(spare, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(spare, temp);
    return files;
  } catch {
    rmSync(spare, { recursive: true, force: true });
    return undefined;
  }
}

/** Keeps a retired output (synth's files only) as the next run's spare. */
export function keepAsSpare(old: string, spare: string): void {
  rmSync(spare, { recursive: true, force: true });
  renameSync(old, spare);
}

/** The files of a real directory holding only directories and regular files; else undefined. */
function plainTreeFiles(dir: string): string[] | undefined {
  try {
    if (!lstatSync(dir).isDirectory()) return undefined;
    let plain = true;
    const files = listFiles(dir, (entry) => {
      if (!entry.isFile() && !entry.isDirectory()) plain = false;
      return entry.isFile();
    });
    return plain ? files : undefined;
  } catch {
    return undefined;
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
