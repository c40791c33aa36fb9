// What a build was made from, judged by content: per input file its size, mtime, ctime and
// SHA-256. A later run calls an input unchanged when size, mtime and ctime all still match (any
// write updates ctime, and utimes cannot set it back), and otherwise hashes the file and compares.
// So an edit with an old mtime (a restored backup, `cp -p`, a clock step) is seen, and a touch
// without a change costs a hash, not a rebuild. Shared by bundle.cjs, snapshot.cjs and the
// startup snapshot's own check (scripts/lib/startup-snapshot.ts).
"use strict";
const { createHash } = require("node:crypto");
const { readFileSync, rmSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/**
 * @typedef {{ path: string, size: number, mtimeMs: number, ctimeMs: number, sha256: string | null }} InputRecord
 * `path` is relative to the repository root; `sha256` null means "not known to match the build".
 */

/**
 * The file system's own clock now, as a file's ctime: file times come from a coarser clock than
 * Date.now(), so only this compares safely with the ctimes of inputs.
 * @param {string} dir an existing writable directory
 */
function fileClockNow(dir) {
  const probe = path.join(dir, `.clock.${process.pid}.tmp`);
  writeFileSync(probe, "");
  try {
    return statSync(probe).ctimeMs;
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Records the inputs as they are now. A file written at or after `startedCtimeMs` (the file clock
 * when the build began to read its inputs) may differ from what the build read: its hash is
 * recorded as unknown, so the next run rebuilds.
 * @param {string} root
 * @param {readonly string[]} inputs
 * @param {number} startedCtimeMs
 * @returns {InputRecord[]}
 */
function recordInputs(root, inputs, startedCtimeMs) {
  return inputs.map((input) => {
    const file = path.join(root, input);
    try {
      const before = statSync(file);
      const sha256 = sha256Of(file);
      const after = statSync(file);
      const settled = before.ctimeMs === after.ctimeMs && after.ctimeMs < startedCtimeMs;
      return { path: input, size: after.size, mtimeMs: after.mtimeMs, ctimeMs: after.ctimeMs, sha256: settled ? sha256 : null };
    } catch {
      // Gone since the build read it: nothing to compare with, so the next run rebuilds.
      return { path: input, size: -1, mtimeMs: 0, ctimeMs: 0, sha256: null };
    }
  });
}

/**
 * The first input whose content differs from its record (or that is gone), or undefined.
 * @param {string} root
 * @param {readonly InputRecord[]} records
 */
function firstChangedInput(root, records) {
  for (const record of records) {
    if (record.sha256 === null) return record.path;
    const file = path.join(root, record.path);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return record.path;
    }
    if (stat.size === record.size && stat.mtimeMs === record.mtimeMs && stat.ctimeMs === record.ctimeMs) continue;
    if (stat.size !== record.size || sha256Of(file) !== record.sha256) return record.path;
  }
  return undefined;
}

/** @param {string} file */
function sha256Of(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

module.exports = { fileClockNow, recordInputs, firstChangedInput };
