// The lock that keeps two synths of one output from interleaving: a file `.<name>.lock` beside
// the output holding its owner's pid. It is created atomically with its content (a private file
// `.<name>.lock.<pid>`, linked into place: link fails if the lock exists), so nobody ever reads an
// empty lock. A lock whose owner is dead is taken over by an atomic rename (to
// `.<name>.lock.stale-<pid>`): exactly one contender wins. What a killed synth leaves of these
// files is removed by the next one, but only files that prove they are a lock's: small regular
// files holding nothing but a pid, named after a process that is gone.
import { linkSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readRegular } from "./regular-files";
import { UsageError } from "./usage-error";

/** Takes the lock, throwing a UsageError at once when another live synth holds it. */
export function acquireLock(lock: string): void {
  const mine = `${lock}.${process.pid}`;
  // A leftover of a dead synth that had this pid before us is ours to replace; nothing else is.
  if (readPid(mine) !== undefined) rmSync(mine, { force: true });
  try {
    writeFileSync(mine, `${process.pid}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${mine} is not synth's, but synth's lock needs that name; move it away`);
    throw error;
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lock);
        removeDeadLeftovers(lock);
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

export function releaseLock(lock: string): void {
  rmSync(lock, { force: true });
}

/** The pid a lock file holds, or undefined when it is no lock file of ours. */
function readPid(file: string): number | undefined {
  const read = readRegular(file);
  if (!read || read.content.length > 24) return undefined;
  const text = read.content.toString("utf8");
  if (!/^\d+\n?$/.test(text)) return undefined;
  const pid = Number(text.trim());
  return pid > 0 ? pid : undefined;
}

/** `.<name>.lock.<pid>` and `.<name>.lock.stale-<pid>` files of synths that died holding them. */
function removeDeadLeftovers(lock: string): void {
  const prefix = `${basename(lock)}.`;
  for (const entry of readdirSync(dirname(lock))) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(/^(?:stale-)?(\d+)$/.exec(entry.slice(prefix.length))?.[1]);
    if (!(pid > 0) || pid === process.pid || isAlive(pid)) continue;
    const path = join(dirname(lock), entry);
    if (readPid(path) !== undefined) rmSync(path, { force: true });
  }
}

function busy(lock: string, pid: number): UsageError {
  return new UsageError(
    `another synth (pid ${pid}) is writing ${basename(dirname(lock))}/${basename(lock)
      .replace(/\.lock$/, "")
      .slice(1)}; wait for it to finish`,
  );
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
