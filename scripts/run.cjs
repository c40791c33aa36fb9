#!/usr/bin/env node
// Runs a TypeScript entry point in this one node process: esbuild bundles our own sources
// (node_modules stay external) into .build/ and the result is required. The bundle is reused
// while none of its input files changed (esbuild's metafile lists them), so a warm synth pays
// no build at all. No type-checking here on purpose: `npm run typecheck` does that.
"use strict";
const { existsSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node scripts/run.cjs <entry.ts> [args…]\n");
  process.exit(2);
}
const name = path.basename(entry).replace(/\.ts$/, "");
const outfile = path.join(root, ".build", `${name}.cjs`);
const inputsFile = path.join(root, ".build", `${name}.inputs.json`);

if (!isFresh()) build();
// Arguments after the entry are the script's own.
process.argv.splice(2, 1);
require(outfile);

/** The bundle exists and no input is newer than it (or gone). */
function isFresh() {
  if (!existsSync(outfile) || !existsSync(inputsFile)) return false;
  const built = statSync(outfile).mtimeMs;
  try {
    const { esbuild, inputs } = JSON.parse(readFileSync(inputsFile, "utf8"));
    if (esbuild !== require("esbuild/package.json").version) return false;
    return inputs.every((input) => statSync(path.join(root, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}

function build() {
  const { buildSync } = require("esbuild");
  mkdirSync(path.dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [path.resolve(root, entry)],
    outfile: temp,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    // A linked map keeps the bundle small to parse; use NODE_OPTIONS=--enable-source-maps to read traces.
    sourcemap: "linked",
    // Less to parse and compile on every run; names kept for readable errors.
    minify: true,
    keepNames: true,
    metafile: true,
    logLevel: "error",
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(root, p)));
  // Concurrent runs may build at once: each renames a complete file into place.
  renameSync(`${temp}.map`, `${outfile}.map`);
  writeFileSync(temp, readFileSync(temp, "utf8").replace(/sourceMappingURL=.*$/m, `sourceMappingURL=${path.basename(outfile)}.map`));
  renameSync(temp, outfile);
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify({ esbuild: require("esbuild/package.json").version, inputs }));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
}
