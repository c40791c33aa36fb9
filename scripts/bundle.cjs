// Bundles a TypeScript entry point with esbuild into .build/ and keeps it while none of its
// input files changed (esbuild's metafile lists them). Shared by run.cjs (our sources only,
// node_modules required at run time) and snapshot.cjs (everything in one file, because a V8
// startup snapshot can only require Node's built-in modules).
"use strict";
const { existsSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync, mkdirSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const buildDir = path.join(root, ".build");

/**
 * The bundle of `entry` (a path relative to the repository), rebuilt when stale.
 * @param {string} entry
 * @param {{ suffix?: string, includePackages?: boolean }} [options]
 * @returns {{ file: string, inputs: string[] }} inputs relative to the repository root
 */
function ensureBundle(entry, options = {}) {
  const name = path.basename(entry).replace(/\.ts$/, "") + (options.suffix ?? "");
  const file = path.join(buildDir, `${name}.cjs`);
  const inputsFile = path.join(buildDir, `${name}.inputs.json`);
  const inputs = freshInputs(file, inputsFile);
  if (inputs) return { file, inputs };
  return { file, inputs: build(entry, file, inputsFile, Boolean(options.includePackages)) };
}

/** The recorded inputs when the bundle exists and none of them is newer than it (or gone). */
function freshInputs(file, inputsFile) {
  if (!existsSync(file) || !existsSync(inputsFile)) return undefined;
  const built = statSync(file).mtimeMs;
  try {
    const { esbuild, inputs } = JSON.parse(readFileSync(inputsFile, "utf8"));
    if (esbuild !== require("esbuild/package.json").version) return undefined;
    // This file holds the build options: a change here is a change of every bundle.
    const files = [...inputs.map((input) => path.join(root, input)), __filename];
    return files.every((file) => statSync(file).mtimeMs <= built) ? inputs : undefined;
  } catch {
    return undefined;
  }
}

function build(entry, file, inputsFile, includePackages) {
  const { buildSync } = require("esbuild");
  // The bundle is dated when its inputs were read: a file saved during the build is newer.
  const started = new Date();
  mkdirSync(buildDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const result = buildSync({
    // The metafile's input paths are relative to this, whatever folder the command runs in.
    absWorkingDir: root,
    entryPoints: [path.resolve(root, entry)],
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
  utimesSync(temp, started, started);
  renameSync(temp, file);
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify({ esbuild: require("esbuild/package.json").version, inputs }));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  return inputs;
}

module.exports = { ensureBundle, root, buildDir };
