// Which parts of an existing output directory are synth's and which are the user's. Synth owns
// the files its marker lists; everything else (Terraform's working files, a note) is the user's
// and moves into the new output untouched. A directory without our marker is adopted only when
// it can hold nothing of value: an older synth's output, as the first synth after an upgrade
// finds it. Otherwise synth refuses it.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Git } from "./git";
import { lstatOrUndefined } from "./output-location";
import { markerFile, writeMarker } from "./output-marker";
import { listFiles } from "./output-tree";
import { isTerraformWorkFile } from "./terraform-work-files";
import { UsageError } from "./usage-error";

/** The folders synth writes at the top of an output. */
const outputFolders = new Set(["terraform", "k8s", "bootstrap", "ansible", "docs"]);

/**
 * The user's entries of an existing output (relative paths; a directory with nothing of synth's
 * inside is one entry), after making sure the directory is synth's to replace. Adopting a
 * directory without a marker writes one, so a crash from here on finds it.
 * @param owned what the output's marker lists (ownedFiles), undefined when it has none
 * @param written the files the new synth writes
 */
export function userEntriesOf(final: string, owned: ReadonlySet<string> | undefined, written: ReadonlySet<string>, root: string): string[] {
  if (!isOutputDir(final)) return [];
  if (owned) return foreignEntries(final, owned);
  const shown = relative(process.cwd(), final) || final;
  // Every file (a symlink counts as one).
  const files = listFiles(final, (entry) => !entry.isDirectory());
  const tracked = trackedFiles(root, final);
  const valuable = files.filter((file) => !written.has(file) && !isTerraformWorkFile(file) && !(outputFolders.has(file.split("/")[0]) && tracked.has(file)));
  if (valuable.length) {
    throw new UsageError(
      `${shown} holds files not written by synth (${valuable.slice(0, 3).join(", ")}${valuable.length > 3 ? ", …" : ""}) and has no ${markerFile}; synth replaces only directories it created. Choose another --out, or move those files away`,
    );
  }
  const kept = foreignEntries(final, written).filter(isTerraformWorkFile);
  writeMarker(
    final,
    files.filter((file) => !kept.some((entry) => file === entry || file.startsWith(`${entry}/`))),
  );
  return kept;
}

/** Whether an output exists; refuses one that is a symlink or a file. */
export function isOutputDir(final: string): boolean {
  const stat = lstatOrUndefined(final);
  if (!stat) return false;
  const shown = relative(process.cwd(), final) || final;
  if (stat.isSymbolicLink()) throw new UsageError(`${shown} is a symlink; synth writes only into a real directory inside the repository`);
  if (!stat.isDirectory()) throw new UsageError(`${shown} is a file, not a directory; choose another --out`);
  return true;
}

/** Entries of dir that `owned` does not list, each as high up as nothing owned lies below it. */
export function foreignEntries(dir: string, owned: ReadonlySet<string>): string[] {
  const ownedDirs = new Set<string>();
  for (const file of owned) for (let at = file.lastIndexOf("/"); at > 0; at = file.lastIndexOf("/", at - 1)) ownedDirs.add(file.slice(0, at));
  const found: string[] = [];
  const visit = (sub: string) => {
    for (const entry of readdirSync(sub ? join(dir, sub) : dir, { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (path === markerFile || owned.has(path)) continue;
      if (entry.isDirectory() && ownedDirs.has(path)) visit(path);
      else found.push(path);
    }
  };
  visit("");
  return found.sort();
}

/** Files git tracks below dir, relative to it; none when git or the repository is missing. */
function trackedFiles(root: string, dir: string): Set<string> {
  try {
    const out = new Git(root).read(["ls-files", "-z", "--full-name", "--", relative(root, dir) || "."]);
    const prefix = relative(root, dir).split("\\").join("/");
    return new Set(
      out
        .split("\0")
        .filter(Boolean)
        .map((file) => (prefix ? file.slice(prefix.length + 1) : file)),
    );
  } catch {
    return new Set();
  }
}

/** User entries of the new output that synth's own files would collide with. */
export function collisions(userEntries: readonly string[], written: ReadonlySet<string>): string[] {
  return userEntries.filter((entry) => written.has(entry) || [...written].some((file) => file.startsWith(`${entry}/`) || entry.startsWith(`${file}/`)));
}
