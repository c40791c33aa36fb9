// Reading a synthesized output tree as relative path → content, for comparisons.
import { existsSync, readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { markerFile, readMarker } from "./output-marker";
import { readRegular } from "./regular-files";
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
 * directory without one, every file but Terraform's working files. Only regular files inside the
 * output are read: a listed path that is a link, a FIFO or a directory is left out, and a marker
 * cannot name a path outside (output-marker.ts).
 */
export function readTree(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const owned = readMarker(dir);
  const files = owned ? [...owned.keys(), markerFile].sort() : listFiles(dir).filter((path) => !isTerraformWorkFile(path));
  const tree = new Map<string, string>();
  for (const path of files) {
    const read = readRegular(join(dir, path));
    if (read) tree.set(path, read.content.toString("utf8"));
  }
  return tree;
}

/** The stack a path is the Terraform JSON of (terraform/stacks/<stack>/cdk.tf.json), else undefined. */
export const stackOf = (path: string): string | undefined => /^terraform\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path)?.[1];
