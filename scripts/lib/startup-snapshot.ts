// An entry point that can run plainly (node scripts/run.cjs <entry>) or from a V8 startup
// snapshot built by scripts/snapshot.cjs. While the snapshot is built, the entry warms itself up
// (one real run into a scratch directory, so the snapshot holds compiled functions, not just
// loaded modules); each run from the snapshot first checks that every input still has the
// content the snapshot was built from (scripts/input-records.cjs), and if one does not, rebuilds
// the snapshot and runs again from the fresh one. A stale snapshot never runs the command.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as v8 from "node:v8";
// The same judge as the bundle cache's; esbuild bundles it into the snapshot.
import { firstChangedInput, type InputRecord } from "../input-records.cjs";

export interface EntryPoint {
  /** The command itself; returns the exit code. */
  main(args: string[], root: string): number;
  /** Exercises the code paths of a typical run; must leave no state behind. */
  warmUp(root: string): void;
}

/** What scripts/snapshot.cjs hands to the build (HOMELAB_SNAPSHOT_INFO). */
interface SnapshotInfo {
  readonly entry: string;
  readonly root: string;
  /** Paths relative to root, with the content the snapshot was built from. */
  readonly inputs: readonly InputRecord[];
}

/** Set on the run that follows a rebuild, so an input that keeps changing cannot make it rebuild forever. */
const rebuiltMarker = "HOMELAB_SNAPSHOT_REBUILT";

export function startEntry(entry: EntryPoint, plainRoot: string): void {
  if (!v8.startupSnapshot.isBuildingSnapshot()) {
    process.exitCode = entry.main(process.argv.slice(2), plainRoot);
    return;
  }
  const info = JSON.parse(readFileSync(process.env.HOMELAB_SNAPSHOT_INFO!, "utf8")) as SnapshotInfo;
  entry.warmUp(info.root);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // graceful-fs (under cdktf) caches process.cwd() when it loads, which was during the build;
    // its chdir wrapper drops that cache, so relative paths resolve against where we run.
    process.chdir(".");
    // Started as `node --snapshot-blob <root>/.build/<blob> -- args…`: argv has no script path.
    const args = process.argv.slice(1);
    const blob = snapshotBlobPath();
    const root = resolve(dirname(blob), "..");
    process.exitCode = root === info.root && isFresh(info) ? entry.main(args, root) : rebuildAndRun(info, blob, root, args);
  });
}

function snapshotBlobPath(): string {
  const flag = process.execArgv.findIndex((a) => a === "--snapshot-blob");
  const value = flag >= 0 ? process.execArgv[flag + 1] : process.execArgv.find((a) => a.startsWith("--snapshot-blob="))?.slice("--snapshot-blob=".length);
  if (!value) throw new Error("internal: started from a snapshot without --snapshot-blob");
  return resolve(value);
}

function isFresh(info: SnapshotInfo): boolean {
  return firstChangedInput(info.root, info.inputs) === undefined;
}

/** The slow path after a code change: rebuild, then run from the new snapshot (or without one). */
function rebuildAndRun(info: SnapshotInfo, blob: string, root: string, args: string[]): number {
  const node = process.execPath;
  const rebuilt = !process.env[rebuiltMarker] && spawnSync(node, [join(root, "scripts", "snapshot.cjs"), info.entry, blob], { stdio: "inherit" }).status === 0;
  const run = rebuilt
    ? spawnSync(node, ["--snapshot-blob", blob, "--", ...args], { stdio: "inherit", env: { ...process.env, [rebuiltMarker]: "1" } })
    : spawnSync(node, [join(root, "scripts", "run.cjs"), info.entry, ...args], { stdio: "inherit" });
  return run.status ?? 70;
}
