// Writes synth's files and remembers what it wrote where (the hash of each file's content, for
// the marker). Every write makes a new file: created where nothing is, or written under a private
// name and renamed over a recycled file (recycled-tree.ts), so a link to the old file never sees
// the new content. A recycled file that already holds its content, and has no other link, is
// left untouched: most files of a re-synth do not change.
import * as nodeFs from "node:fs";
import { dirname, relative, sep } from "node:path";
import type { YamlOutput } from "../../charts/k8s-app";
import { yamlDocuments } from "../../lib/yaml-text";
import { contentHash } from "./output-marker";
import type { RecycledFile } from "./recycled-tree";
import { privateName } from "./regular-files";

/** What the writer needs of node:fs; tests hand in one that fails (ENOSPC, EACCES). */
export type WriterFs = Pick<typeof nodeFs, "mkdirSync" | "writeFileSync" | "renameSync" | "rmSync">;

/** A recycled tree the writer writes into: its directory and its files (relative, '/'-separated). */
export interface Recycled {
  readonly dir: string;
  readonly files: ReadonlyMap<string, RecycledFile>;
}

export class OutputWriter implements YamlOutput {
  /** Absolute path → hash of the content written. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly fs: WriterFs = nodeFs,
    private readonly recycled?: Recycled,
  ) {}

  /** Writes a file, creating its directory as needed. */
  write(path: string, content: string): void {
    const hash = contentHash(content);
    this.written.set(path, hash);
    const before = this.recycled?.files.get(relative(this.recycled.dir, path).split(sep).join("/"));
    if (before && before.hash === hash && before.links === 1) return;
    this.fs.mkdirSync(dirname(path), { recursive: true });
    if (before) this.replace(path, content);
    else {
      try {
        this.fs.writeFileSync(path, content, { flag: "wx" });
      } catch (error) {
        // Something is there already (the cdk8s CLI's output folder): replaced, never written through.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        this.replace(path, content);
      }
    }
  }

  private replace(path: string, content: string): void {
    const temp = privateName(path, "new");
    this.fs.writeFileSync(temp, content, { flag: "wx" });
    try {
      this.fs.renameSync(temp, path);
    } catch (error) {
      this.fs.rmSync(temp, { force: true });
      throw error;
    }
  }

  writeYaml(path: string, documents: readonly unknown[]): void {
    this.write(path, yamlDocuments(documents));
  }

  wrote(path: string): boolean {
    return this.written.has(path);
  }

  /** The paths written (absolute) with the hashes of their content. */
  files(): ReadonlyMap<string, string> {
    return this.written;
  }
}
