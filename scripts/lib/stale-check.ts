// Is the committed dist/ (HEAD:dist) exactly what a fresh synth of the spec produces? Compared
// by git object id and mode, so nothing but synth's own files, as synth writes them, passes.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Lab } from "./lab";
import type { Git, TreeEntry } from "./git";
import { markerFile, markerFiles, readMarker } from "./output-marker";
import { synthesize } from "./synthesize";
import { isUncomparedWorkFile } from "./terraform-work-files";

/** Synthesizes the spec into a scratch directory beside dist/ and hands it to `use`. */
function freshSynth<T>(root: string, clusterFile: string, spec: Lab, use: (outDir: string) => T): T {
  // Same depth as dist/, so relative paths in the output (the state path) are the same.
  const outDir = join(root, `.synth-check-${process.pid}`);
  try {
    synthesize({ clusterFile, spec, outDir, root });
    return use(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export interface Staleness {
  /** The dist/ paths where HEAD differs from a fresh synth: added, missing, changed, or not a plain file. */
  readonly stale: readonly string[];
  /** HEAD's synth output, by path below dist/ (Terraform's working files left out). */
  readonly committed: ReadonlyMap<string, TreeEntry>;
}

/** @param spec the spec loaded from clusterFile */
export function staleOutputs(git: Git, clusterFile: string, spec: Lab): Staleness {
  return freshSynth(git.cwd, clusterFile, spec, (outDir) => {
    // A fresh output holds exactly the files its marker lists, and the marker.
    const files = [...(readMarker(outDir)?.keys() ?? []), markerFile];
    const fresh = new Map(git.hashFiles(files.map((file) => join(outDir, file))).map((id, i) => [files[i], id]));
    // Synth's files are what HEAD's marker or a fresh synth lists, and everything under k8s/ (it
    // is published whole). A note of yours committed elsewhere in dist/, or Terraform's working
    // files beside a stack, are not synth's.
    const listed = committedOwnedFiles(git);
    const ours = (path: string) => !isUncomparedWorkFile(path) && (path.startsWith("k8s/") || fresh.has(path) || listed.has(path) || path === markerFile);
    const committed = new Map([...git.tree("HEAD:dist")].filter(([path]) => ours(path)));
    const stale = [...committed].filter(([path, entry]) => entry.mode !== "100644" || fresh.get(path) !== entry.id).map(([path]) => path);
    stale.push(...files.filter((file) => !committed.has(file)));
    return { stale: stale.sort().map((path) => `dist/${path}`), committed };
  });
}

/** The files HEAD's dist/ marker lists (none when HEAD has no marker of ours). */
function committedOwnedFiles(git: Git): ReadonlySet<string> {
  try {
    return markerFiles(git.read(["show", `HEAD:dist/${markerFile}`])) ?? new Set();
  } catch {
    return new Set();
  }
}
