// The output before last is kept beside the output as a spare (.dist.spare) and becomes the
// next synth's temporary directory: its files are overwritten in place, the ones this synth does
// not write are removed, and the swap proceeds as before. Creating files and directories is what
// costs on some file systems (0.3–0.6 ms each here, 20 times an overwrite), so a synth that
// rewrites the same files creates almost none; and a file that already holds its new content is
// not even overwritten (background-writer.ts, holds()). The spare is scratch: never restored, and
// read only to compare.
import { existsSync, renameSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** Moves the spare into place as `temp`; whether it did (else temp is to be made empty). */
export function takeSpare(spare: string, temp: string): boolean {
  if (!existsSync(spare)) return false;
  try {
    renameSync(spare, temp);
    return true;
  } catch {
    rmSync(spare, { recursive: true, force: true });
    return false;
  }
}

/**
 * Removes the recycled files (listed before this synth wrote; see OutputWriter.filesIn) that it
 * did not write, then the directories that left empty.
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
