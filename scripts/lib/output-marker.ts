// The marker synth writes at the top of every output it creates: it says the directory is
// synth's, and lists the files synth wrote there. Synth replaces or deletes only those; anything
// else in the directory (Terraform's working files, a note) is the user's and stays.
import { lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const markerFile = ".synth-output.json";
const generator = "homelab-synth";

interface Marker {
  readonly generator: string;
  readonly about: string;
  readonly files: readonly string[];
}

/** Writes the marker listing `files` (relative, '/'-separated) into dir. */
export function writeMarker(dir: string, files: Iterable<string>): void {
  const marker: Marker = {
    generator,
    about:
      "Written by `npm run synth`, which owns the files listed here and rewrites them on every run. Anything else in this directory is yours and is left alone.",
    files: [...files].sort(),
  };
  writeFileSync(join(dir, markerFile), `${JSON.stringify(marker, null, 2)}\n`);
}

/** The files synth wrote into dir, or undefined when dir holds no marker of ours. */
export function ownedFiles(dir: string): ReadonlySet<string> | undefined {
  try {
    if (!lstatSync(join(dir, markerFile)).isFile()) return undefined;
    return markerFiles(readFileSync(join(dir, markerFile), "utf8"));
  } catch {
    return undefined;
  }
}

/** The files a marker's text lists, or undefined when the text is no marker of ours. */
export function markerFiles(text: string): ReadonlySet<string> | undefined {
  try {
    const marker = JSON.parse(text) as Partial<Marker>;
    if (marker.generator !== generator || !Array.isArray(marker.files)) return undefined;
    return new Set(marker.files.filter((f): f is string => typeof f === "string"));
  } catch {
    return undefined;
  }
}
