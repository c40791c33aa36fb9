#!/usr/bin/env node
// Runs a TypeScript entry point in this one node process: esbuild bundles our own sources
// (node_modules stay external) into .build/ and the result is required. The bundle is reused
// while none of its input files changed, so a warm run pays no build at all. No type-checking
// here on purpose: `npm run typecheck` does that.
"use strict";
const { ensureBundle } = require("./bundle.cjs");

const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node scripts/run.cjs <entry.ts> [args…]\n");
  process.exit(2);
}
const { file } = ensureBundle(entry);
// Arguments after the entry are the script's own.
process.argv.splice(2, 1);
require(file);
