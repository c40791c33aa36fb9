// What every command shares: its arguments (node:util parseArgs, `--help` on all of them),
// and one mapping from what went wrong to a message and an exit code.
import { join, relative, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { SpecError } from "../../cluster/problems";
import { EnvironmentError, Refusal } from "./command-errors";
import { UsageError } from "./usage-error";

/** The exit codes of every command (README, "The workflow"). */
export const exitCodes = {
  ok: 0,
  /** Changes (diff), findings (check), an invalid spec, or a refusal (publish: a dirty tree, a stale dist/…). */
  changesOrFindings: 1,
  /** Bad arguments, a refused output directory, a busy lock. */
  usage: 2,
  /** Our bug. */
  internal: 70,
  /** The environment: no space, no permission, a read-only file system. */
  io: 74,
} as const;

const ioCodes: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  EIO: "an I/O error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
};

export interface Command {
  /** As the user types it after `npm run`. */
  readonly name: string;
  /** Usage lines, flags and what the command does; printed by --help. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /** Takes operands after the flags (returned as `_`). @default false */
  readonly positionals?: boolean;
}

/** The parsed flags, or undefined after printing --help. Throws a UsageError on bad arguments. */
export function commandArgs(command: Command, argv: string[]): Record<string, string | boolean | undefined> | undefined {
  return parseCommand(command, argv)?.values;
}

/** The parsed flags and the operands after them (a command with `positionals`), or undefined after --help. */
export function parseCommand(
  command: Command,
  argv: string[],
  stdout: NodeJS.WritableStream = process.stdout,
): { values: Record<string, string | boolean | undefined>; operands: string[] } | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see npm run ${command.name} -- --help`);
  }
  if (parsed.values.help) {
    stdout.write(`${command.help.trim()}\n\n${exitCodeHelp}\n`);
    return undefined;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, operands: parsed.positionals };
}

const exitCodeHelp = `exit codes: 0 ok; 1 changes, findings or an invalid spec; 2 usage (bad arguments, refused output, busy lock);
            74 an I/O error (no space, no permission, read-only); 70 an internal error (please report)`;

/**
 * A path the user typed, resolved against where they typed it: `npm run` starts every script in
 * the package's root, and says where npm was run in INIT_CWD. Only for this command's own npm
 * script (npm_lifecycle_event): a child of another script inherits that script's INIT_CWD.
 */
export function userPath(command: Pick<Command, "name">, path: string): string {
  const npmCwd = process.env.npm_lifecycle_event === command.name ? process.env.INIT_CWD : undefined;
  return resolve(npmCwd ?? process.cwd(), path);
}

/** The lab's spec, relative to the repository root. */
export const defaultSpec = "cluster/homelab.yaml";

/**
 * A path option: the path the user typed, relative to where they typed it (userPath), or without
 * one the repository's own (`cluster/homelab.yaml`, `dist`) at the repository root, whichever
 * folder the command runs from.
 */
export function pathOption(command: Pick<Command, "name">, typed: unknown, repositoryDefault: string, root: string): string {
  return typeof typed === "string" ? userPath(command, typed) : join(root, repositoryDefault);
}

/** Prints what went wrong (one line, or the spec's problems) and returns the exit code. */
export function reportFailure(command: string, error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof SpecError) {
    stderr.write(
      // Only synth writes; the other commands that read a spec only say what is wrong with it.
      `${error.message}\n${error.problems.length} problem${error.problems.length === 1 ? "" : "s"} in ${error.file}${command === "synth" ? "; nothing was written" : ""}.\n`,
    );
    return exitCodes.changesOrFindings;
  }
  if (error instanceof UsageError) {
    stderr.write(`${command}: ${error.message}\n`);
    return exitCodes.usage;
  }
  if (error instanceof Refusal || error instanceof EnvironmentError) {
    stderr.write(`${command}: ${error.message}\n`);
    return error instanceof Refusal ? exitCodes.changesOrFindings : exitCodes.io;
  }
  const io = ioFailure(error);
  if (io) {
    stderr.write(`${command}: ${io}\n`);
    return exitCodes.io;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`${command}: internal error (please report; HOMELAB_DEBUG=1 shows the stack trace): ${detail}\n`);
  return exitCodes.internal;
}

/** "cannot write dist/x: no space left on the device (ENOSPC)" for an environment error, else undefined. */
export function ioFailure(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  const why = e?.code ? ioCodes[e.code] : undefined;
  if (!why) return undefined;
  const path = e!.path ? relative(process.cwd(), e!.path) || e!.path : "a file";
  return `cannot ${e!.syscall ?? "access"} ${path}: ${why} (${e!.code})${e!.code === "ENOSPC" ? "; free some space and run it again" : ""}`;
}
