// Reading a synthesized output tree as relative path → content, for comparisons.
import { existsSync, readFileSync, readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { markerFile, ownedFiles } from "./output-marker";
import { isTerraformWorkFile } from "./terraform-work-files";

/**
 * The files below dir (or the entries `keep` picks), as sorted relative paths with '/' separators.
 * Walked here rather than by readdir's `recursive` option, which costs twice as much on the first
 * call of a process (~10 ms against ~5 ms for a large lab's output).
 */
export function listFiles(dir: string, keep: (entry: Dirent) => boolean = (entry) => entry.isFile()): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(sub ? join(dir, sub) : dir, { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (keep(entry)) found.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk("");
  return found.sort();
}

/**
 * Synth's files in an output, by relative path: those its marker lists (and the marker), or, in a
 * directory without one, every file but Terraform's working files.
 */
export function readTree(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const owned = ownedFiles(dir);
  const files = owned
    ? [...owned, markerFile].filter((path) => existsSync(join(dir, path))).sort()
    : listFiles(dir).filter((path) => !isTerraformWorkFile(path));
  return new Map(files.map((path) => [path, readFileSync(join(dir, path), "utf8")]));
}

/** The stack a path is the Terraform JSON of (terraform/stacks/<stack>/cdk.tf.json), else undefined. */
export const stackOf = (path: string): string | undefined => /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path)?.[1];
