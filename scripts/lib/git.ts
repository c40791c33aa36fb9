// Runs real git. Plumbing commands only where we write (publish), so the user's working tree
// and index are never touched; blobs and trees are read in bulk, one process for many objects.
import { execFileSync, spawnSync } from "node:child_process";
import { EnvironmentError } from "./command-errors";
import { UsageError } from "./usage-error";

/** One entry of `git ls-tree`: a file (blob), a folder (tree), a submodule (commit). */
export interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly id: string;
}

/** How git reports a full, read-only or forbidden disk (strerror texts, in the C locale). */
const machineFailure = /No space left on device|Disk quota exceeded|Read-only file system|Permission denied/;

export class Git {
  constructor(readonly cwd: string) {}

  /** stdout of `git args…`, trimmed; throws with git's own message on failure. */
  run(args: readonly string[], input?: string | Buffer): string {
    return this.read(args, input).trim();
  }

  /** stdout of `git args…` exactly as git printed it (file contents). */
  read(args: readonly string[], input?: string | Buffer): string {
    return this.bytes(args, input).toString("utf8");
  }

  private bytes(args: readonly string[], input?: string | Buffer): Buffer {
    try {
      return execFileSync("git", args, { cwd: this.cwd, env: this.environment(), input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 1024 * 1024 * 1024 });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
      if (e.code === "ENOENT") throw new EnvironmentError("git is not installed or not on PATH");
      const message = `git ${args.join(" ")}: ${(e.stderr?.toString("utf8") || e.message).trim()}`;
      throw machineFailure.test(message) ? new EnvironmentError(message) : new Error(message, { cause: error });
    }
  }

  /** git's messages untranslated, so the machine's failures below are recognised. */
  private environment(): NodeJS.ProcessEnv {
    return { ...process.env, LC_ALL: "C" };
  }

  /** Like run, but undefined instead of an error (for "does this exist?" questions). */
  tryRun(args: readonly string[]): string | undefined {
    try {
      return this.run(args);
    } catch (error) {
      if (error instanceof EnvironmentError) throw error;
      return undefined;
    }
  }

  /** git's exit status and stderr, for commands whose failure is an answer (ls-remote --exit-code). */
  status(args: readonly string[]): { readonly code: number | null; readonly stdout: string; readonly stderr: string } {
    const result = spawnSync("git", args, { cwd: this.cwd, env: this.environment(), encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
    if (result.error) throw new EnvironmentError(`git ${args[0]}: ${result.error.message}`);
    return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
  }

  /** The object id a revision names (`refs/heads/x`, `HEAD^{commit}`), or undefined when it names none. */
  resolve(revision: string): string | undefined {
    return this.tryRun(["rev-parse", "--verify", "-q", revision]);
  }

  /** Whether commit `a` is `b` or one of its ancestors. */
  isAncestor(a: string, b: string): boolean {
    return this.status(["merge-base", "--is-ancestor", a, b]).code === 0;
  }

  /** The id of a tree (`HEAD:dist/k8s`), or undefined when there is none (one `cat-file --batch-check`). */
  treeId(treeish: string): string | undefined {
    const [id, type] = this.run(["cat-file", "--batch-check"], `${treeish}\n`).split(" ");
    return type === "tree" ? id : undefined;
  }

  /** The entries below a tree-ish (e.g. `HEAD:dist`), recursively, by path relative to it; empty when it does not exist. */
  tree(treeish: string): Map<string, TreeEntry> {
    const entries = new Map<string, TreeEntry>();
    // One process: git names a tree-ish that is not there, or not a tree, and fails otherwise only on the machine.
    const listed = this.status(["ls-tree", "-r", "-z", treeish]);
    if (listed.code !== 0) {
      if (/not a tree object|Not a valid object name|not a valid object name|does not exist in/i.test(listed.stderr)) return entries;
      throw new Error(`git ls-tree ${treeish}: ${listed.stderr}`);
    }
    for (const line of listed.stdout.split("\0")) {
      if (!line) continue;
      const tab = line.indexOf("\t");
      const [mode, type, object] = line.slice(0, tab).split(" ");
      entries.set(line.slice(tab + 1), { mode, type, id: object });
    }
    return entries;
  }

  /** The contents of many blobs by object id, read by one `git cat-file --batch`. */
  blobs(ids: Iterable<string>): Map<string, Buffer> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, Buffer>();
    if (!wanted.length) return found;
    const out = this.bytes(["cat-file", "--batch"], `${wanted.join("\n")}\n`);
    let at = 0;
    for (const id of wanted) {
      const eol = out.indexOf(10, at);
      const [, type, size] = out.toString("utf8", at, eol).split(" ");
      if (type === "missing" || size === undefined) throw new Error(`git cat-file: object ${id} is missing`);
      found.set(id, out.subarray(eol + 1, eol + 1 + Number(size)));
      at = eol + 1 + Number(size) + 1;
    }
    return found;
  }

  /** The object ids files would have as blobs (no filters: synth writes exactly what is committed). */
  hashFiles(absolutePaths: readonly string[]): string[] {
    if (!absolutePaths.length) return [];
    return this.run(["hash-object", "--no-filters", "--stdin-paths"], `${absolutePaths.join("\n")}\n`).split("\n");
  }

  static open(cwd: string): Git {
    const top = new Git(cwd).tryRun(["rev-parse", "--show-toplevel"]);
    if (!top) throw new UsageError(`${cwd} is not inside a git repository; run this from a clone of your homelab repository`);
    return new Git(top);
  }
}
