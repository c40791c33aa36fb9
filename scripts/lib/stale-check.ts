// Is the committed dist/ what a fresh synth of the committed spec produces?
import { rmSync } from "node:fs";
import { join } from "node:path";
import { changedPaths, readTree } from "./output-tree";
import { synthesize } from "./synthesize";

/** Synthesizes into a scratch directory beside dist/ and returns the paths that differ. */
export function freshSynth<T>(root: string, clusterFile: string | undefined, use: (outDir: string) => T): T {
  // Same depth as dist/, so relative paths in the output (the state path) are the same.
  const outDir = join(root, `.synth-check-${process.pid}`);
  try {
    synthesize({ clusterFile: clusterFile ?? join(root, "cluster", "homelab.yaml"), outDir, root });
    return use(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function staleOutputs(root: string, clusterFile?: string): string[] {
  return freshSynth(root, clusterFile, (outDir) => changedPaths(readTree(outDir), readTree(join(root, "dist"))).map((p) => `dist/${p}`));
}
