// Replacing an output directory so that readers only ever see the old or the new one,
// complete, plus a lock so two synths never interleave.
//
// The new output is written to a sibling temporary directory (same file system, so
// rename is atomic). The swap is two renames: old → .<name>.old-<pid>, new → <name>.
// A crash between them leaves no <name> but a complete .old-* beside it, which the next
// run (under the lock) puts back before doing anything else.
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isTreeConflict, takeSpare } from "./recycled-tree";
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
    recover(paths.final);
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
  return new UsageError(`another synth (pid ${pid}) is writing ${basename(dirname(lock))}/${basename(lock).replace(/\.lock$/, "").slice(1)}; wait for it to finish`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Restores a complete old output if a run died mid-swap, and removes stale temporaries. */
function recover(final: string): void {
  const parent = dirname(final);
  const name = basename(final);
  if (!existsSync(parent)) return;
  // Only what dead runs left behind (a name ends with its run's pid).
  const deadRun = (entry: string) => {
    const pid = Number(/-(\d+)$/.exec(entry)?.[1]);
    return pid !== process.pid && !(pid > 0 && isAlive(pid));
  };
  const leftovers = readdirSync(parent).filter((entry) => (entry.startsWith(`.${name}.old-`) || entry.startsWith(`.${name}.tmp-`)) && deadRun(entry));
  const old = leftovers.find((entry) => entry.startsWith(`.${name}.old-`));
  if (!existsSync(final) && old) renameSync(join(parent, old), final);
  for (const entry of leftovers) {
    if (existsSync(join(parent, entry))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Writes a new output with build(temp, recycled) and swaps it in; on any error the old one
 * stays. temp starts as the recycled spare (recycled = true): build overwrites what it writes
 * and must remove the leftovers it did not write (pruneLeftovers). Should the spare's shape get
 * in the way (a directory where a file goes), the build runs again in an empty directory.
 */
export function replaceOutput(paths: OutputPaths, build: (temp: string, recycled: boolean) => void): void {
  rmSync(paths.temp, { recursive: true, force: true });
  const recycled = takeSpare(paths.spare, paths.temp);
  mkdirSync(paths.temp, { recursive: true });
  try {
    try {
      build(paths.temp, recycled);
    } catch (error) {
      if (!recycled || !isTreeConflict(error)) throw error;
      rmSync(paths.temp, { recursive: true, force: true });
      mkdirSync(paths.temp, { recursive: true });
      build(paths.temp, false);
    }
  } catch (error) {
    rmSync(paths.temp, { recursive: true, force: true });
    throw error;
  }
  const hadOld = existsSync(paths.final);
  if (hadOld) renameSync(paths.final, paths.old);
  renameSync(paths.temp, paths.final);
  // The old output is the next synth's spare.
  if (hadOld) {
    if (existsSync(paths.spare)) rmSync(paths.spare, { recursive: true, force: true });
    renameSync(paths.old, paths.spare);
  }
}
