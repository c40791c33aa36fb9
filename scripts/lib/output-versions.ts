// The two versions `npm run diff` compares: a folder on disk, as git sees it (tracked files, and
// untracked ones that are not ignored), and a tree in git. Compared by object id (one
// `git hash-object` for the disk, one `ls-tree` for git); only what differs is read, the git side
// by one `git cat-file --batch`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Git, TreeEntry } from "./git";
import { markerFile, readMarker } from "./output-marker";
import { isUncomparedWorkFile } from "./terraform-work-files";

/**
 * Files below `dir` (relative to the repository), by path below it → absolute path: the tracked
 * ones, and the untracked ones synth wrote (its marker lists them) — a note of yours is not a change.
 */
export function filesOnDisk(git: Git, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const output = dir.split("/")[0];
  const owned = readMarker(join(git.cwd, output)) ?? new Map<string, string | undefined>();
  const ours = (path: string) => path === `${output}/${markerFile}` || owned.has(path.slice(output.length + 1));
  const tracked = new Set(git.read(["ls-files", "-z", "--cached", "--", dir]).split("\0"));
  for (const path of git.read(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", dir]).split("\0")) {
    if (!path.startsWith(`${dir}/`) || (!tracked.has(path) && !ours(path))) continue;
    const absolute = join(git.cwd, path);
    // A tracked file deleted on disk is still in the index: it is not on disk.
    if (existsSync(absolute) && statSync(absolute).isFile()) files.set(path.slice(dir.length + 1), absolute);
  }
  return files;
}

export interface ChangedTexts {
  /** Paths whose content differs, with the text on disk (absent: not on disk). */
  readonly onDisk: Map<string, string>;
  /** The same paths with the text in git (absent: not in git). */
  readonly inGit: Map<string, string>;
}

/** `as`: the prefix both sides' paths get (e.g. `k8s/` when comparing the rendered branch's folder). */
export function changedTexts(git: Git, disk: ReadonlyMap<string, string>, tree: ReadonlyMap<string, TreeEntry>, as = ""): ChangedTexts {
  const counts = (path: string) => !isUncomparedWorkFile(`${as}${path}`);
  const diskPaths = [...disk.keys()].filter(counts);
  const ids = new Map(git.hashFiles(diskPaths.map((p) => disk.get(p)!)).map((id, i) => [diskPaths[i], id]));
  const gitPaths = [...tree.keys()].filter(counts);
  const changed = [...new Set([...diskPaths, ...gitPaths])].filter((p) => ids.get(p) !== tree.get(p)?.id);
  const blobs = git.blobs(changed.filter((p) => tree.has(p)).map((p) => tree.get(p)!.id));
  const onDisk = new Map<string, string>();
  const inGit = new Map<string, string>();
  for (const path of changed) {
    if (ids.has(path)) onDisk.set(`${as}${path}`, readFileSync(disk.get(path)!, "utf8"));
    if (tree.has(path)) inGit.set(`${as}${path}`, blobs.get(tree.get(path)!.id)!.toString("utf8"));
  }
  return { onDisk, inGit };
}
