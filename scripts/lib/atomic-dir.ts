// Replacing an output directory so that readers only ever see the old or the new one, complete,
// without ever losing a file synth did not write, under a lock so two synths never interleave
// (output-lock.ts).
//
// The new output is built in a sibling temporary directory (same file system, so rename is
// atomic), then swapped in: old → .<name>.old-<run>, new → <name>, and the user's entries of the
// old output (output-ownership.ts: Terraform's working files, notes, anything synth cannot prove
// it wrote) are renamed into the new one. Every step is a rename, and every crash leaves a state
// the next run (under the lock) completes: no <name> → the old one is put back; an .old-<run>
// beside a new <name> → the user's entries still in it move over. Only then is the old output,
// synth's files alone, kept as the next run's scratch (recycled-tree.ts) or deleted.
//
// Each run's scratch names carry its pid and random bytes (<run>), and the run proves it made
// them with a file of its own beside them (.<name>.run-<run>, and the journal .<name>.swap-<run>
// naming the entries to move): a folder of the user's that merely looks like scratch is never
// touched.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { plainMode } from "../../lib/plain-mode";
import { acquireLock, isAlive, releaseLock } from "./output-lock";
import { lstatOrUndefined } from "./output-location";
import { writeMarker } from "./output-marker";
import { outputOwnership, type OutputOwnership } from "./output-ownership";
import { isTreeConflict, retireOutput, takeSpare, type RecycledFile } from "./recycled-tree";
import { readRegular } from "./regular-files";

export interface OutputPaths {
  readonly final: string;
  readonly temp: string;
  readonly old: string;
  readonly lock: string;
  /** The output before last, recycled as the next temp (recycled-tree.ts). */
  readonly spare: string;
  /** This run's proof that it made temp and old. */
  readonly run: string;
  /** Written just before the swap: the user's entries to move from old into the new output. */
  readonly journal: string;
}

export function outputPaths(final: string, run = `${process.pid}-${randomBytes(4).toString("hex")}`): OutputPaths {
  const parent = dirname(final);
  const name = basename(final);
  return {
    final,
    temp: join(parent, `.${name}.tmp-${run}`),
    old: join(parent, `.${name}.old-${run}`),
    lock: join(parent, `.${name}.lock`),
    spare: join(parent, `.${name}.spare`),
    run: join(parent, `.${name}.run-${run}`),
    journal: join(parent, `.${name}.swap-${run}`),
  };
}

const generator = "homelab-synth";

/** Runs fn while holding the output's lock; a second run fails at once with a clear line. Returns fn's result and recovery warnings. */
export function withOutputLock<T>(paths: OutputPaths, fn: () => T): { result: T; warnings: string[] } {
  mkdirSync(dirname(paths.lock), { recursive: true });
  acquireLock(paths.lock);
  try {
    const warnings = recover(paths);
    writeFileSync(paths.run, `${JSON.stringify({ generator, pid: process.pid })}\n`, { flag: "wx" });
    try {
      return { result: fn(), warnings };
    } finally {
      // Kept while scratch of this run is left (a removal that failed): it proves them to the next run.
      if (!lstatOrUndefined(paths.temp) && !lstatOrUndefined(paths.old)) rmSync(paths.run, { force: true });
    }
  } finally {
    releaseLock(paths.lock);
  }
}

interface Journal {
  readonly generator: string;
  /** The user's entries of old, to move into the new output. */
  readonly userEntries: readonly string[];
  /** Synth's files of old, with their hashes. */
  readonly ours: Readonly<Record<string, string>>;
}

/** Completes what runs that died left (only what their run file proves they made); returns what it could not remove. */
function recover(paths: OutputPaths): string[] {
  const parent = dirname(paths.final);
  const name = basename(paths.final);
  const warnings: string[] = [];
  const runPattern = new RegExp(`^\\.${escape(name)}\\.run-((\\d+)-[0-9a-f]{8})$`);
  for (const entry of readdirSync(parent)) {
    const match = runPattern.exec(entry);
    if (!match || isAlive(Number(match[2])) || !isRunFile(join(parent, entry))) continue;
    const dead = outputPaths(paths.final, match[1]);
    const journal = readJournal(dead.journal);
    if (journal && lstatOrUndefined(dead.old)?.isDirectory()) {
      if (!lstatOrUndefined(paths.final)) renameSync(dead.old, paths.final);
      else {
        const left = finishSwap(dead.old, paths, journal.userEntries, new Map(Object.entries(journal.ours)));
        if (left) warnings.push(left);
      }
    }
    try {
      rmSync(dead.temp, { recursive: true, force: true });
    } catch (error) {
      // Its run file stays: it still proves the folder is synth's.
      warnings.push(`${dead.temp} could not be removed (${(error as Error).message}); remove it yourself`);
      continue;
    }
    rmSync(dead.journal, { force: true });
    rmSync(dead.run, { force: true });
  }
  return warnings;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A run file or journal: our JSON in a regular file (never a link or a FIFO), else undefined. */
function readProof(path: string): Partial<Journal> | undefined {
  const read = readRegular(path);
  try {
    const proof = read && (JSON.parse(read.content.toString("utf8")) as Partial<Journal>);
    return proof?.generator === generator ? proof : undefined;
  } catch {
    return undefined;
  }
}

const isRunFile = (path: string) => readProof(path) !== undefined;

function readJournal(path: string): Journal | undefined {
  const journal = readProof(path);
  return journal && Array.isArray(journal.userEntries) && journal.ours && typeof journal.ours === "object" ? (journal as Journal) : undefined;
}

export interface ReplaceResult {
  readonly ownership: OutputOwnership;
  readonly warnings: readonly string[];
}

/**
 * Writes a new output with build(temp, recycled), which returns the files it wrote (relative,
 * '/'-separated, with their content hashes), and swaps it in; on any error before the swap the
 * old output stays exactly as it was. temp starts as the recycled spare (recycled lists its
 * files): build replaces what it writes and must remove the leftovers it did not write. Should
 * the spare get in the way, the build runs again in an empty directory. inspect(temp, ownership)
 * runs between the build and the swap (the summary's comparison).
 */
export function replaceOutput(
  paths: OutputPaths,
  build: (temp: string, recycled: ReadonlyMap<string, RecycledFile> | undefined) => ReadonlyMap<string, string>,
  inspect?: (temp: string, ownership: OutputOwnership) => void,
): ReplaceResult {
  const warnings: string[] = [];
  const recycled = plainMode() ? undefined : takeSpare(paths.spare, paths.temp);
  if (!recycled) mkdirSync(paths.temp);
  let ownership: OutputOwnership;
  try {
    let written: ReadonlyMap<string, string>;
    try {
      written = build(paths.temp, recycled);
    } catch (error) {
      if (!recycled || !(isTreeConflict(error) || isPermissionError(error))) throw error;
      // The spare is in the way (a directory where a file goes, a file that cannot be replaced): start afresh.
      try {
        rmSync(paths.temp, { recursive: true, force: true });
      } catch (removal) {
        // A file no one may delete (`chattr +i`): the spare is set aside for the user, under a name synth never uses.
        const aside = `${paths.temp}-unusable`;
        renameSync(paths.temp, aside);
        warnings.push(
          `the spare could not be reused or removed (${(removal as NodeJS.ErrnoException).code ?? (removal as Error).message}); it was moved to ${basename(aside)}: remove it yourself`,
        );
      }
      mkdirSync(paths.temp);
      written = build(paths.temp, undefined);
    }
    writeMarker(paths.temp, written);
    ownership = outputOwnership(paths.final, written);
    inspect?.(paths.temp, ownership);
  } catch (error) {
    try {
      rmSync(paths.temp, { recursive: true, force: true });
    } catch {
      // the error that stopped the build is the one to report; the run file proves temp for the next run
    }
    throw error;
  }
  const hadOld = lstatOrUndefined(paths.final) !== undefined;
  if (hadOld) {
    const journal: Journal = { generator, userEntries: ownership.userEntries, ours: Object.fromEntries(ownership.ours) };
    writeFileSync(paths.journal, `${JSON.stringify(journal)}\n`, { flag: "wx" });
    renameSync(paths.final, paths.old);
  }
  renameSync(paths.temp, paths.final);
  if (hadOld) {
    const left = finishSwap(paths.old, paths, ownership.userEntries, ownership.ours);
    if (left) warnings.push(left);
    rmSync(paths.journal, { force: true });
  }
  return { ownership, warnings };
}

const isPermissionError = (error: unknown) => ["EPERM", "EACCES"].includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");

/** Moves the user's entries from the old output into the new one, then retires the old one; returns a warning when something stays behind. */
function finishSwap(old: string, paths: OutputPaths, userEntries: readonly string[], ours: ReadonlyMap<string, string>): string | undefined {
  for (const entry of userEntries) {
    const from = join(old, entry);
    const to = join(paths.final, entry);
    if (!lstatOrUndefined(from) || lstatOrUndefined(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
  }
  return retireOutput(old, ours, plainMode() ? undefined : paths.spare);
}
