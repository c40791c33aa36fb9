// Replacing an output directory so that readers only ever see the old or the new one, complete,
// without ever losing a file synth did not write, plus a lock so two synths never interleave.
//
// The new output is built in a sibling temporary directory (same file system, so rename is
// atomic), then swapped in: old → .<name>.old-<pid>, new → <name>, and the user's entries of the
// old output (what its marker does not list: Terraform's working files, notes) are renamed into
// the new one. Every step is a rename, and every crash leaves a state the next run (under the
// lock) completes: no <name> → the old one is put back; an .old-* beside a new <name> → the
// user's entries still in it move over. Only then is the old output, synth's files alone, kept as
// the next run's scratch (recycled-tree.ts).
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { plainMode } from "../../lib/plain-mode";
import { lstatOrUndefined } from "./output-location";
import { ownedFiles, writeMarker } from "./output-marker";
import { collisions, foreignEntries, isOutputDir, userEntriesOf } from "./output-ownership";
import { isTreeConflict, keepAsSpare, takeSpare } from "./recycled-tree";
import { UsageError } from "./usage-error";

export interface OutputPaths {
  readonly final: string;
  readonly temp: string;
  readonly old: string;
  readonly lock: string;
  /** The output before last, recycled as the next temp (recycled-tree.ts). */
  readonly spare: string;
}

export function outputPaths(final: string, pid = process.pid): OutputPaths {
  const parent = dirname(final);
  const name = basename(final);
  return {
    final,
    temp: join(parent, `.${name}.tmp-${pid}`),
    old: join(parent, `.${name}.old-${pid}`),
    lock: join(parent, `.${name}.lock`),
    spare: join(parent, `.${name}.spare`),
  };
}

/** Runs fn while holding the output's lock; a second run fails at once with a clear line. */
export function withOutputLock<T>(paths: OutputPaths, fn: () => T): T {
  mkdirSync(dirname(paths.lock), { recursive: true });
  acquire(paths.lock);
  try {
    recover(paths);
    return fn();
  } finally {
    rmSync(paths.lock, { force: true });
  }
}

/**
 * The lock is a file holding the owner's pid, created atomically with its content (write a
 * private file, then link it into place: link fails if the lock exists), so nobody ever reads
 * an empty lock. A lock whose owner is dead is taken over by an atomic rename — exactly one
 * contender wins — after checking that what was renamed really was that dead owner's.
 */
function acquire(lock: string): void {
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lock);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readPid(lock);
      if (holder !== undefined && isAlive(holder)) throw busy(lock, holder);
      const claimed = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, claimed);
      } catch {
        continue; // someone else took it over first; try again
      }
      const taken = readPid(claimed);
      if (taken !== holder && taken !== undefined && isAlive(taken)) {
        // A live process locked in between: give its lock back if we can, and stop.
        try {
          linkSync(claimed, lock);
        } catch {
          /* it already holds another one */
        }
        rmSync(claimed, { force: true });
        throw busy(lock, taken);
      }
      rmSync(claimed, { force: true });
    }
    throw new UsageError(`cannot take the lock ${lock}; remove it if no synth is running`);
  } finally {
    rmSync(mine, { force: true });
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function busy(lock: string, pid: number): UsageError {
  return new UsageError(
    `another synth (pid ${pid}) is writing ${basename(dirname(lock))}/${basename(lock)
      .replace(/\.lock$/, "")
      .slice(1)}; wait for it to finish`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Completes what a run that died mid-swap left, and removes its temporary directory. */
function recover(paths: OutputPaths): void {
  const parent = dirname(paths.final);
  const name = basename(paths.final);
  if (!existsSync(parent)) return;
  // Only what dead runs left behind (a name ends with its run's pid).
  const deadRun = (entry: string) => {
    const pid = Number(/-(\d+)$/.exec(entry)?.[1]);
    return pid !== process.pid && !(pid > 0 && isAlive(pid));
  };
  for (const entry of readdirSync(parent).filter(deadRun)) {
    const path = join(parent, entry);
    // A temporary output only ever holds synth's own files.
    if (entry.startsWith(`.${name}.tmp-`)) rmSync(path, { recursive: true, force: true });
    if (!entry.startsWith(`.${name}.old-`)) continue;
    if (!existsSync(paths.final)) {
      renameSync(path, paths.final);
      continue;
    }
    const owned = ownedFiles(path);
    if (owned && isOutputDir(path)) finishSwap(path, paths, foreignEntries(path, owned));
  }
}

/**
 * Writes a new output with build(temp, recycled, owned), which returns the files it wrote
 * (relative, '/'-separated), and swaps it in; on any error before the swap the old output stays
 * exactly as it was. temp starts as the recycled spare (recycled lists its files): build
 * overwrites what it writes and must remove the leftovers it did not write. Should the spare's
 * shape get in the way (a directory where a file goes), the build runs again in an empty
 * directory. owned: what the current output's marker lists, read once for build and the swap.
 */
export function replaceOutput(
  paths: OutputPaths,
  root: string,
  build: (temp: string, recycled: readonly string[] | undefined, owned: ReadonlySet<string> | undefined) => ReadonlySet<string>,
): void {
  rmSync(paths.temp, { recursive: true, force: true });
  const recycled = plainMode() ? undefined : takeSpare(paths.spare, paths.temp);
  if (!recycled) rmSync(paths.spare, { recursive: true, force: true });
  mkdirSync(paths.temp, { recursive: true });
  const owned = ownedFiles(paths.final);
  let userEntries: string[];
  try {
    let written: ReadonlySet<string>;
    try {
      written = build(paths.temp, recycled, owned);
    } catch (error) {
      if (!recycled || !isTreeConflict(error)) throw error;
      rmSync(paths.temp, { recursive: true, force: true });
      mkdirSync(paths.temp, { recursive: true });
      written = build(paths.temp, undefined, owned);
    }
    writeMarker(paths.temp, written);
    userEntries = userEntriesOf(paths.final, owned, written, root);
    const clashes = collisions(userEntries, written);
    if (clashes.length)
      throw new UsageError(
        `${clashes.map((c) => join(basename(paths.final), c)).join(", ")} ${clashes.length === 1 ? "is" : "are"} not synth's, but synth now writes there; move ${clashes.length === 1 ? "it" : "them"} away and run synth again`,
      );
  } catch (error) {
    rmSync(paths.temp, { recursive: true, force: true });
    throw error;
  }
  const hadOld = existsSync(paths.final);
  if (hadOld) renameSync(paths.final, paths.old);
  renameSync(paths.temp, paths.final);
  if (hadOld) finishSwap(paths.old, paths, userEntries);
}

/** Moves the user's entries from the old output into the new one, then retires the old one. */
function finishSwap(old: string, paths: OutputPaths, userEntries: readonly string[]): void {
  let left = 0;
  for (const entry of userEntries) {
    const from = join(old, entry);
    const to = join(paths.final, entry);
    if (!lstatOrUndefined(from)) continue;
    if (lstatOrUndefined(to)) {
      left++;
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
  }
  if (left) {
    // Never reached through synth itself (it refuses clashes first): kept for the user to sort out.
    renameSync(old, join(dirname(old), `.${basename(paths.final)}.kept-${process.pid}`));
    return;
  }
  if (plainMode()) rmSync(old, { recursive: true, force: true });
  else keepAsSpare(old, paths.spare);
}
