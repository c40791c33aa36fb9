// Replacing an output directory so that readers only ever see the old or the new one,
// complete, plus a lock so two synths never interleave.
//
// The new output is written to a sibling temporary directory (same file system, so
// rename is atomic). The swap is two renames: old → .<name>.old-<pid>, new → <name>.
// A crash between them leaves no <name> but a complete .old-* beside it, which the next
// run (under the lock) puts back before doing anything else.
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./usage-error";

export interface OutputPaths {
  readonly final: string;
  readonly temp: string;
  readonly old: string;
  readonly lock: string;
}

export function outputPaths(final: string, pid = process.pid): OutputPaths {
  const parent = dirname(final);
  const name = basename(final);
  return {
    final,
    temp: join(parent, `.${name}.tmp-${pid}`),
    old: join(parent, `.${name}.old-${pid}`),
    lock: join(parent, `.${name}.lock`),
  };
}

/** Runs fn while holding the output's lock; a second run fails at once with a clear line. */
export function withOutputLock<T>(paths: OutputPaths, fn: () => T): T {
  mkdirSync(dirname(paths.lock), { recursive: true });
  const fd = acquire(paths.lock);
  try {
    recover(paths.final);
    return fn();
  } finally {
    closeSync(fd);
    rmSync(paths.lock, { force: true });
  }
}

function acquire(lock: string): number {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lock, "utf8").trim());
      if (holder && isAlive(holder)) {
        throw new UsageError(`another synth (pid ${holder}) is writing ${basename(dirname(lock))}/${basename(lock).replace(/\.lock$/, "").slice(1)}; wait for it to finish`);
      }
      rmSync(lock, { force: true }); // left by a killed run
    }
  }
  throw new UsageError(`cannot take the lock ${lock}; remove it if no synth is running`);
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
  const leftovers = readdirSync(parent).filter((entry) => entry.startsWith(`.${name}.old-`) || entry.startsWith(`.${name}.tmp-`));
  const old = leftovers.find((entry) => entry.startsWith(`.${name}.old-`));
  if (!existsSync(final) && old) renameSync(join(parent, old), final);
  for (const entry of leftovers) {
    if (existsSync(join(parent, entry))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Writes a new output with build(temp) and swaps it in; on any error the old one stays. */
export function replaceOutput(paths: OutputPaths, build: (temp: string) => void): void {
  rmSync(paths.temp, { recursive: true, force: true });
  mkdirSync(paths.temp, { recursive: true });
  try {
    build(paths.temp);
  } catch (error) {
    rmSync(paths.temp, { recursive: true, force: true });
    throw error;
  }
  const hadOld = existsSync(paths.final);
  if (hadOld) renameSync(paths.final, paths.old);
  renameSync(paths.temp, paths.final);
  if (hadOld) rmSync(paths.old, { recursive: true, force: true });
}
