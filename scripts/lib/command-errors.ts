// Failures the workflow commands (publish, diff, fetch-crds) report besides a UsageError, each
// with its exit code in scripts/lib/cli.ts's reportFailure.

/** The repository's state stops the command (a dirty tree, a stale dist/, a source branch as target…): exit 1. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Refusal";
  }
}

/** The machine stops the command (a full or read-only disk, no permission, git or the network missing): exit 74. */
export class EnvironmentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EnvironmentError";
  }
}
