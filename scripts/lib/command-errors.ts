// What a failed command tells its caller, for the workflow commands (publish, diff):
//   1  a refusal (the repository's state stops it), changes, findings or a bad spec;
//   2  usage (how it was called);
//   74 an I/O or environment error, naming the path;
//   70 a bug ("internal error").
import { SpecError } from "../../cluster/problems";
import { UsageError } from "./usage-error";

/** The repository's state stops the command (a dirty tree, a stale dist/, a source branch as target…). */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Refusal";
  }
}

/** The machine stops the command (permissions, a full or read-only disk, a missing program). */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentError";
  }
}

/** errno codes that say the machine, not the input or our code, failed. */
const environmentCodes = new Set(["EACCES", "EPERM", "ENOSPC", "EDQUOT", "EROFS", "EIO", "EMFILE", "ENFILE", "EBUSY", "ENOTDIR", "EISDIR", "ENOENT", "ELOOP"]);

const errno = (error: unknown) => (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" ? (error as NodeJS.ErrnoException) : undefined);

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof Refusal || error instanceof SpecError) return 1;
  if (error instanceof EnvironmentError || environmentCodes.has(errno(error)?.code ?? "")) return 74;
  return 70;
}

/** The one line (a spec error: one line per problem) that says what failed and what to do. */
export function errorMessage(command: string, error: unknown): string {
  if (error instanceof SpecError) return error.message;
  const io = errno(error);
  if (io && environmentCodes.has(io.code!) && io.path) return `${command}: cannot ${io.syscall ?? "use"} ${io.path}: ${io.code}`;
  if (exitCodeFor(error) === 70) {
    const detail = error instanceof Error ? (process.env.HOMELAB_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    return `${command}: internal error (please report; HOMELAB_DEBUG=1 shows the stack trace): ${detail}`;
  }
  return `${command}: ${(error as Error).message}`;
}

/** Prints the error and returns its exit code. */
export function reportFailure(command: string, error: unknown): number {
  process.stderr.write(`${errorMessage(command, error)}\n`);
  return exitCodeFor(error);
}
