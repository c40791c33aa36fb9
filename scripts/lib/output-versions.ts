// The two versions `npm run diff` compares: a folder on disk, as git sees it (tracked files, and
// untracked ones that are not ignored), and a tree in git. Compared by object id (one
// `git hash-object` for the disk, one `ls-tree` for git); only what differs is read, the git side
// by one `git cat-file --batch`.
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { Git, TreeEntry } from "./git";
import { markerFile, readMarker } from "./output-marker";
import { isUncomparedWorkFile } from "./terraform-work-files";

/** A file on disk to compare: a regular file (its absolute path), or a symlink (where it points, never followed). */
export type DiskFile = { readonly file: string } | { readonly linkTo: string };

/** How a symlink shows in a diff, on disk as in git (whose blob of a link holds its target): the target named, never read. */
const linkText = (target: string) => `(a symbolic link to ${target}; not followed)\n`;

/**
 * Files below `dir` (relative to the repository), by path below it: the tracked ones, and the
 * untracked ones synth wrote (its marker lists them) — a note of yours is not a change. A
 * symlink is never followed (a committed `evil.yaml → /etc/passwd` must not print that file in
 * a pull request's diff); anything else that is no regular file is left out.
 */
export function filesOnDisk(git: Git, dir: string): Map<string, DiskFile> {
  const files = new Map<string, DiskFile>();
  const output = dir.split("/")[0];
  const owned = readMarker(join(git.cwd, output)) ?? new Map<string, string | undefined>();
  const ours = (path: string) => path === `${output}/${markerFile}` || owned.has(path.slice(output.length + 1));
  const tracked = new Set(git.read(["ls-files", "-z", "--cached", "--", dir]).split("\0"));
  for (const path of git.read(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", dir]).split("\0")) {
    if (!path.startsWith(`${dir}/`) || (!tracked.has(path) && !ours(path))) continue;
    const absolute = join(git.cwd, path);
    // A tracked file deleted on disk is still in the index: it is not on disk.
    const stat = lstatOrUndefined(absolute);
    if (stat?.isFile()) files.set(path.slice(dir.length + 1), { file: absolute });
    else if (stat?.isSymbolicLink()) files.set(path.slice(dir.length + 1), { linkTo: readlinkSync(absolute) });
  }
  return files;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export interface ChangedTexts {
  /** Paths whose content differs, with the text on disk (absent: not on disk). */
  readonly onDisk: Map<string, string>;
  /** The same paths with the text in git (absent: not in git). */
  readonly inGit: Map<string, string>;
}

/** `as`: the prefix both sides' paths get (e.g. `k8s/` when comparing the rendered branch's folder). */
export function changedTexts(git: Git, disk: ReadonlyMap<string, DiskFile>, tree: ReadonlyMap<string, TreeEntry>, as = ""): ChangedTexts {
  const counts = (path: string) => !isUncomparedWorkFile(`${as}${path}`);
  const paths = [...new Set([...disk.keys(), ...tree.keys()])].filter(counts);
  const fileOf = (path: string) => {
    const entry = disk.get(path);
    return entry && "file" in entry ? entry.file : undefined;
  };
  const isPlainBlob = (entry: TreeEntry | undefined) => entry?.type === "blob" && entry.mode !== "120000";
  // Regular files on both sides are compared by object id; anything else (a link, a side missing) by its text.
  const regular = paths.filter((p) => fileOf(p) !== undefined);
  const ids = new Map(git.hashFiles(regular.map((p) => fileOf(p)!)).map((id, i) => [regular[i], id]));
  const byText = paths.filter((p) => !(ids.has(p) && isPlainBlob(tree.get(p))));
  const suspects = [...byText, ...regular.filter((p) => isPlainBlob(tree.get(p)) && ids.get(p) !== tree.get(p)!.id)];
  const blobs = git.blobs(suspects.filter((p) => tree.get(p)?.type === "blob").map((p) => tree.get(p)!.id));
  const gitText = (path: string): string | undefined => {
    const entry = tree.get(path);
    if (!entry) return undefined;
    if (entry.type !== "blob") return `(a ${entry.type} ${entry.id})\n`;
    const text = blobs.get(entry.id)!.toString("utf8");
    return entry.mode === "120000" ? linkText(text) : text;
  };
  const diskText = (path: string): string | undefined => {
    const entry = disk.get(path);
    if (!entry) return undefined;
    return "linkTo" in entry ? linkText(entry.linkTo) : readFileSync(entry.file, "utf8");
  };
  const onDisk = new Map<string, string>();
  const inGit = new Map<string, string>();
  for (const path of suspects) {
    const [now, was] = [diskText(path), gitText(path)];
    if (now === was) continue;
    if (now !== undefined) onDisk.set(`${as}${path}`, now);
    if (was !== undefined) inGit.set(`${as}${path}`, was);
  }
  return { onDisk, inGit };
}
