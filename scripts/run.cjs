#!/usr/bin/env node
// Runs a TypeScript entry point in this one node process: esbuild bundles our own
// sources (node_modules stay external) into .build/ and the result is required.
// No type-checking here on purpose: `npm run typecheck` does that, synth must be fast.
"use strict";
const path = require("node:path");
const { buildSync } = require("esbuild");

const root = path.resolve(__dirname, "..");
const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node scripts/run.cjs <entry.ts> [args…]\n");
  process.exit(2);
}
const outfile = path.join(root, ".build", path.basename(entry).replace(/\.ts$/, ".cjs"));
buildSync({
  entryPoints: [path.resolve(root, entry)],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  logLevel: "error",
});
// Arguments after the entry are the script's own.
process.argv.splice(2, 1);
require(outfile);
