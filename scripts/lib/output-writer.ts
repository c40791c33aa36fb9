// Writes synth's files and remembers which paths it wrote (the rest of a recycled output is
// removed afterwards). A file that already holds its content is left untouched: reading and
// comparing is cheaper than rewriting, and most files of a re-synth do not change.
import * as nodeFs from "node:fs";
import { dirname } from "node:path";
import type { YamlOutput } from "../../charts/k8s-app";
import { yamlDocuments } from "../../lib/yaml-text";

/** What the writer needs of node:fs; tests hand in one that fails (ENOSPC, EACCES). */
export type WriterFs = Pick<typeof nodeFs, "mkdirSync" | "readFileSync" | "writeFileSync">;

export class OutputWriter implements YamlOutput {
  private readonly written = new Set<string>();

  constructor(private readonly fs: WriterFs = nodeFs) {}

  /** Writes a file, creating its directory as needed. */
  write(path: string, content: string): void {
    this.written.add(path);
    if (this.holds(path, content)) return;
    this.fs.mkdirSync(dirname(path), { recursive: true });
    this.fs.writeFileSync(path, content);
  }

  writeYaml(path: string, documents: readonly unknown[]): void {
    this.write(path, yamlDocuments(documents));
  }

  wrote(path: string): boolean {
    return this.written.has(path);
  }

  private holds(path: string, content: string): boolean {
    try {
      return this.fs.readFileSync(path, "utf8") === content;
    } catch {
      return false;
    }
  }

  /** The paths written, absolute. */
  paths(): ReadonlySet<string> {
    return this.written;
  }
}
