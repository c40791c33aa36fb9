// Where synth may write: a directory inside the repository that is no source folder, not the
// Terraform state directory, and reached without any symlink (a link could lead anywhere).
import { existsSync, lstatSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { markerFile } from "./output-marker";
import { UsageError } from "./usage-error";

/** Top-level folders of the repository that hold sources, tools or history, never output. */
const projectFolders = new Set([
  ".git",
  ".githooks",
  ".github",
  ".ci",
  ".build",
  "node_modules",
  "cluster",
  "infra",
  "charts",
  "lib",
  "imports",
  "scripts",
  "test",
  "bench",
  "docs",
]);

/** Throws a UsageError naming the problem unless outDir is a place synth may own. */
export function checkOutputLocation(outDir: string, root: string): void {
  const refuse = refusal(outDir, root);
  const rel = relative(root, outDir);
  if (rel === "") refuse("that is the repository itself; synth writes into a folder inside it, such as dist");
  if (rel.startsWith("..") || isAbsolute(rel)) refuse(`synth writes only into a directory inside the repository (${root}), not ${outDir}`);
  const first = rel.split(sep)[0];
  if (projectFolders.has(first)) refuse(`${first}/ holds the project's own files, not synth's output`);
  // Every existing part of the path, from just below the repository down to the output itself.
  for (let path = resolve(outDir); path !== root && path.startsWith(root + sep); path = dirname(path)) {
    const stat = lstatOrUndefined(path);
    if (!stat) continue;
    if (stat.isSymbolicLink()) refuse(`${relative(root, path) || path} is a symlink; synth writes only into real directories, never through a link`);
    if (!stat.isDirectory()) refuse(`${relative(root, path)} is a file, not a directory`);
    if (path !== outDir && existsSync(join(path, markerFile))) refuse(`it lies inside ${relative(root, path)}, an output of synth's`);
  }
}

/** Throws a UsageError when the output and the directory of the local Terraform state overlap. */
export function checkStateOutside(outDir: string, root: string, stateDir: string): void {
  const refuse = refusal(outDir, root);
  const toState = relative(outDir, stateDir);
  const fromState = relative(stateDir, outDir);
  if (toState === "" || !toState.startsWith("..")) refuse(`the Terraform state directory ${relative(root, stateDir)} would be inside the output`);
  if (!fromState.startsWith("..") && !isAbsolute(fromState)) refuse(`it is inside the Terraform state directory ${relative(root, stateDir)}`);
}

function refusal(outDir: string, root: string) {
  const rel = relative(root, outDir);
  const shown = !rel.startsWith("..") && !isAbsolute(rel) ? relative(process.cwd(), outDir) || "." : outDir;
  return (why: string): never => {
    throw new UsageError(`--out ${shown}: ${why}; choose another --out (default: dist)`);
  };
}

/** The path's own stat (a symlink's, not its target's), or undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The absolute directory of a local state path given relative to the repository. */
export function localStateDir(root: string, statePath: string): string {
  return dirname(join(root, statePath));
}
