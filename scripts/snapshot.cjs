#!/usr/bin/env node
// `node scripts/snapshot.cjs <entry.ts> <blob>`: builds a V8 startup snapshot of an entry point
// (Node's `--build-snapshot`). The whole program — cdktf, cdk8s, zod and our code — is bundled
// into one file, loaded, and warmed up once by the entry itself (see scripts/lib/startup-snapshot.ts),
// so a run started with `node --snapshot-blob <blob>` begins with every module initialized and
// its functions already compiled. Only the build's own errors are printed.
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdirSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { buildDir, ensureBundle, root } = require("./bundle.cjs");
const { fileClockNow, recordInputs } = require("./input-records.cjs");

const [entry, blob] = process.argv.slice(2);
if (!entry || !blob) {
  process.stderr.write("usage: node scripts/snapshot.cjs <entry.ts> <blob>\n");
  process.exit(2);
}

mkdirSync(buildDir, { recursive: true });
// Whatever is written from now on may differ from what this build reads.
const started = fileClockNow(buildDir);
const bundle = ensureBundle(entry, { suffix: ".snapshot", includePackages: true });
// The snapshot runs exactly the bundle, so the bundle's record of our sources is its record too.
// Packages are judged through npm's record of the installed tree instead of file by file.
const sources = bundle.records.filter((record) => !record.path.split(path.sep).includes("node_modules"));
const own = ["scripts/snapshot.cjs", path.join("node_modules", ".package-lock.json")];
const info = { entry, root, inputs: [...sources, ...recordInputs(root, own, started)] };
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
    process.stderr.write(
      `snapshot: building ${path.relative(root, blob)} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})\n${result.stderr}`,
    );
    rmSync(tempBlob, { force: true });
    process.exit(1);
  }
  // Concurrent builds each rename a complete blob into place.
  renameSync(tempBlob, blob);
} finally {
  rmSync(infoFile, { force: true });
}
