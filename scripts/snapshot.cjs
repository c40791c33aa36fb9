#!/usr/bin/env node
// `node scripts/snapshot.cjs <entry.ts> <blob>`: builds a V8 startup snapshot of an entry point
// (Node's `--build-snapshot`). The whole program — cdktf, cdk8s, zod and our code — is bundled
// into one file, loaded, and warmed up once by the entry itself (see scripts/lib/startup-snapshot.ts),
// so a run started with `node --snapshot-blob <blob>` begins with every module initialized and
// its functions already compiled. Only the build's own errors are printed.
"use strict";
const { spawnSync } = require("node:child_process");
const { renameSync, rmSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { ensureBundle, root } = require("./bundle.cjs");

const [entry, blob] = process.argv.slice(2);
if (!entry || !blob) {
  process.stderr.write("usage: node scripts/snapshot.cjs <entry.ts> <blob>\n");
  process.exit(2);
}

// Inputs are judged against the start of this build: whatever changes from now on is newer.
const startedMs = Date.now();
const bundle = ensureBundle(entry, { suffix: ".snapshot", includePackages: true });
// Packages are checked through npm's record of the installed tree instead of one stat per file.
const sources = bundle.inputs.filter((input) => !input.split(path.sep).includes("node_modules"));
const info = {
  entry,
  root,
  builtAtMs: startedMs,
  inputs: [...sources, "scripts/bundle.cjs", "scripts/snapshot.cjs", path.join("node_modules", ".package-lock.json")],
};
const infoFile = `${blob}.${process.pid}.info.json`;
const tempBlob = `${blob}.${process.pid}.tmp`;
writeFileSync(infoFile, JSON.stringify(info));
try {
  const result = spawnSync(process.execPath, ["--snapshot-blob", tempBlob, "--build-snapshot", bundle.file], {
    cwd: root,
    env: { ...process.env, HOMELAB_SNAPSHOT_INFO: infoFile },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    // Node's notes about experimental built-ins are noise on success, the diagnosis on failure.
    process.stderr.write(`snapshot: building ${path.relative(root, blob)} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})\n${result.stderr}`);
    rmSync(tempBlob, { force: true });
    process.exit(1);
  }
  // Concurrent builds each rename a complete blob into place.
  renameSync(tempBlob, blob);
} finally {
  rmSync(infoFile, { force: true });
}
