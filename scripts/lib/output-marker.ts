// The marker synth writes at the top of every output it creates: it says the directory is
// synth's, and lists each file synth wrote there with the hash of the content it wrote. A path
// is synth's only while it is a regular file whose content still has that hash (output-ownership.ts):
// the list alone proves nothing, since anyone can edit it (a colleague's commit, a bad merge).
// One line per file, so git merges two synths' markers line by line.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { byCodeUnits } from "./code-unit-order";
import { readRegular, replaceFile } from "./regular-files";

export const markerFile = ".synth-output.json";
const generator = "homelab-synth";

/** Path → the hash of the content synth wrote there; `undefined` for a marker of an older synth, which recorded none. */
export type MarkerRecords = ReadonlyMap<string, string | undefined>;

/** The hash a marker records: sha256 of the bytes, in hex. */
export function contentHash(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The marker's text for `files` (relative, '/'-separated path → contentHash). */
export function markerText(files: ReadonlyMap<string, string>): string {
  const sorted = [...files].sort(([a], [b]) => byCodeUnits(a, b));
  const marker = {
    generator,
    about:
      "Written by `npm run synth`. It replaces or deletes a file listed here only while the file still holds the content it wrote (this hash); anything else in this directory is yours and is left alone.",
    files: Object.fromEntries(sorted),
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/** Writes the marker into dir as a new file (never through a link). */
export function writeMarker(dir: string, files: ReadonlyMap<string, string>): void {
  replaceFile(join(dir, markerFile), markerText(files));
}

/** What dir's marker records, or undefined when dir holds no readable marker of ours. */
export function readMarker(dir: string): MarkerRecords | undefined {
  const read = readRegular(join(dir, markerFile));
  return read ? parseMarker(read.content.toString("utf8")) : undefined;
}

/** The files a marker's text lists (only safe relative paths), or undefined when the text is no marker of ours. */
export function parseMarker(text: string): MarkerRecords | undefined {
  let marker: { generator?: unknown; files?: unknown };
  try {
    marker = JSON.parse(text) as typeof marker;
  } catch {
    return undefined;
  }
  if (marker?.generator !== generator) return undefined;
  const records = new Map<string, string | undefined>();
  if (Array.isArray(marker.files)) {
    // An older synth's marker: the paths alone.
    for (const path of marker.files) if (typeof path === "string" && isOutputPath(path)) records.set(path, undefined);
  } else if (marker.files && typeof marker.files === "object") {
    for (const [path, hash] of Object.entries(marker.files))
      if (isOutputPath(path) && typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash)) records.set(path, hash);
  } else return undefined;
  return records;
}

/** The paths a marker's text lists, or undefined when it is no marker of ours. */
export function markerFiles(text: string): ReadonlySet<string> | undefined {
  const records = parseMarker(text);
  return records && new Set(records.keys());
}

/**
 * A path synth could have written: relative, '/'-separated, no empty, '.' or '..' part, no
 * backslash or NUL. Anything else in a marker (`../x`, `/etc/passwd`) is ignored, never read.
 */
export function isOutputPath(path: string): boolean {
  return path !== "" && path !== markerFile && !/[\\\0]/.test(path) && path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
