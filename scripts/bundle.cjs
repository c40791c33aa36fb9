// Bundles a TypeScript entry point with esbuild into .build/ and keeps it while the content of
// every input file (esbuild's metafile lists them) is what the build read (input-records.cjs).
// Shared by run.cjs (our sources only, node_modules required at run time) and snapshot.cjs
// (everything in one file, because a V8 startup snapshot can only require Node's built-ins).
"use strict";
const { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } = require("node:fs");
const path = require("node:path");
const { fileClockNow, firstChangedInput, recordInputs } = require("./input-records.cjs");

const root = path.resolve(__dirname, "..");
const buildDir = path.join(root, ".build");

/**
 * The bundle of `entry` (a path relative to the repository), rebuilt when stale.
 * @param {string} entry
 * @param {{ suffix?: string, includePackages?: boolean }} [options]
 * @returns {{ file: string, records: import("./input-records.cjs").InputRecord[] }} what the bundle was built from
 */
function ensureBundle(entry, options = {}) {
  const name = path.basename(entry).replace(/\.ts$/, "") + (options.suffix ?? "");
  const file = path.join(buildDir, `${name}.cjs`);
  const inputsFile = path.join(buildDir, `${name}.inputs.json`);
  const records = freshRecords(file, inputsFile);
  if (records) return { file, records };
  return { file, records: build(entry, file, inputsFile, Boolean(options.includePackages)) };
}

/** The recorded inputs when the bundle exists and every input still has the content it was built from. */
function freshRecords(file, inputsFile) {
  if (!existsSync(file) || !existsSync(inputsFile)) return undefined;
  try {
    const { esbuild, records } = JSON.parse(readFileSync(inputsFile, "utf8"));
    if (esbuild !== require("esbuild/package.json").version) return undefined;
    return firstChangedInput(root, records) === undefined ? records : undefined;
  } catch {
    return undefined;
  }
}

function build(entry, file, inputsFile, includePackages) {
  const { buildSync } = require("esbuild");
  mkdirSync(buildDir, { recursive: true });
  // A file written from now on may differ from what esbuild reads: recorded as unknown.
  const started = fileClockNow(buildDir);
  const temp = `${file}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [path.resolve(root, entry)],
    // Metafile paths relative to the repository, wherever the command runs from.
    absWorkingDir: root,
    outfile: temp,
    bundle: true,
    packages: includePackages ? undefined : "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    // A linked map keeps the bundle small to parse; use NODE_OPTIONS=--enable-source-maps to read traces.
    sourcemap: "linked",
    // Less to parse on every run. Identifiers are not renamed, so function and class names stay
    // readable in errors without esbuild's keepNames, which calls Object.defineProperty for every
    // closure created at run time (~5% of a large synth).
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: "error",
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(root, path.resolve(root, p)));
  // Concurrent runs may build at once: each renames a complete file into place.
  renameSync(`${temp}.map`, `${file}.map`);
  writeFileSync(temp, readFileSync(temp, "utf8").replace(/sourceMappingURL=.*$/m, `sourceMappingURL=${path.basename(file)}.map`));
  // These two files hold the build options: a change in them is a change of every bundle.
  const records = recordInputs(root, [...inputs, "scripts/bundle.cjs", "scripts/input-records.cjs"], started);
  // The bundle first, then its record: a reader that sees the new record also sees the new bundle.
  renameSync(temp, file);
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify({ esbuild: require("esbuild/package.json").version, records }));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  return records;
}

module.exports = { ensureBundle, root, buildDir };
