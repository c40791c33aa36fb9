// Unified diffs as git prints them: `--- a/<file>` / `+++ b/<file>` (or /dev/null), hunks whose
// line numbers count from the start of the file, and a label after `@@` saying which object or
// resource the hunk belongs to.
import { structuredPatch } from "diff";

export interface PatchSide {
  /** The file, relative to the compared folder; undefined when it does not exist on this side. */
  readonly file?: string;
  /** The text compared (a whole file, or one object of it). */
  readonly text: string;
  /** The file line `text` starts at (1 for a whole file or when unknown). */
  readonly firstLine?: number;
}

export function unifiedPatch(before: PatchSide, after: PatchSide, label = ""): string {
  const { hunks } = structuredPatch("", "", before.text, after.text, undefined, undefined, { context: 3 });
  const lines = [`--- ${before.file === undefined ? "/dev/null" : `a/${before.file}`}`, `+++ ${after.file === undefined ? "/dev/null" : `b/${after.file}`}`];
  for (const hunk of hunks) {
    const old = range(hunk.oldStart, hunk.oldLines, before);
    const now = range(hunk.newStart, hunk.newLines, after);
    lines.push(`@@ -${old} +${now} @@${label ? ` ${label}` : ""}`, ...hunk.lines);
  }
  return `${lines.join("\n")}\n`;
}

/** `start,count` in file lines; an empty range names the line before it, as diff(1) does. */
function range(start: number, count: number, side: PatchSide): string {
  if (!side.text) return "0,0";
  const line = start + (side.firstLine ?? 1) - 1;
  return `${count === 0 ? line - 1 : line},${count}`;
}

const ansi = { bold: "\x1b[1m", red: "\x1b[31m", green: "\x1b[32m", cyan: "\x1b[36m", reset: "\x1b[m" };

/** Colours a rendered diff the way `git diff --color` does: headings and file headers bold, hunks cyan, lines red and green. */
export function colourDiff(text: string): string {
  let inPatch = false;
  const paint = (colour: string, line: string) => `${colour}${line}${ansi.reset}`;
  return text
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) {
        inPatch = line === "```diff";
        return line;
      }
      if (!inPatch) return /^#+ /.test(line) ? paint(ansi.bold, line) : line;
      if (/^(---|\+\+\+) /.test(line)) return paint(ansi.bold, line);
      if (line.startsWith("@@")) return line.replace(/^(@@ [^@]* @@)/, paint(ansi.cyan, "$1"));
      if (line.startsWith("+")) return paint(ansi.green, line);
      if (line.startsWith("-")) return paint(ansi.red, line);
      return line;
    })
    .join("\n");
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";
}
