// Runs real git. Plumbing commands only where we write (publish), so the user's working tree
// and index are never touched.
import { execFileSync } from "node:child_process";
import { UsageError } from "./usage-error";

export class Git {
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** stdout of `git args…`, trimmed; throws with git's own message on failure. */
  run(args: readonly string[], input?: string | Buffer): string {
    return this.read(args, input).trim();
  }

  /** stdout of `git args…` exactly as git printed it (file contents). */
  read(args: readonly string[], input?: string | Buffer): string {
    try {
      return execFileSync("git", args, { cwd: this.cwd, env: { ...process.env, ...this.env }, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`git ${args.join(" ")}: ${(e.stderr || e.message).trim()}`, { cause: error });
    }
  }

  /** Like run, but undefined instead of an error (for "does this exist?" questions). */
  tryRun(args: readonly string[]): string | undefined {
    try {
      return this.run(args);
    } catch {
      return undefined;
    }
  }

  with(env: NodeJS.ProcessEnv): Git {
    return new Git(this.cwd, { ...this.env, ...env });
  }

  static open(cwd: string): Git {
    const top = new Git(cwd).tryRun(["rev-parse", "--show-toplevel"]);
    if (!top) throw new UsageError(`${cwd} is not inside a git repository; run this from a clone of your homelab repository`);
    return new Git(top);
  }
}
