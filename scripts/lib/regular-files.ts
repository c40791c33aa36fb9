// Reading and writing files in an output without ever going through something that is not a
// plain file: a symlink is never followed, a FIFO never blocks a read, and every write makes a
// new file (a new inode), so a hardlink to the old one (a backup made with `cp -al`, rsync
// --link-dest, or a planted link to a file outside) is never written through.
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** The content of a regular file and its number of links; undefined for anything else (missing, directory, symlink, FIFO, device). */
export function readRegular(path: string): { readonly content: Buffer; readonly links: number } | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink fails (ELOOP); O_NONBLOCK: opening a FIFO does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    return { content: readFileSync(fd), links: stat.nlink };
  } finally {
    closeSync(fd);
  }
}

/** A name beside `path` no one else uses: hidden, with this process's id and random bytes. */
export function privateName(path: string, purpose: string): string {
  return join(dirname(path), `.${basename(path)}.${purpose}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Writes `content` at `path` as a new file: written under a private name, then renamed over
 * whatever file was there (whose other links keep their content). A directory at `path` fails
 * the rename (EISDIR), and nothing is written through it.
 */
export function replaceFile(path: string, content: string | Buffer): void {
  const temp = privateName(path, "new");
  writeFileSync(temp, content, { flag: "wx" });
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Creates a file that must not exist yet (EEXIST otherwise): nothing at `path` is written through. */
export function createFile(path: string, content: string | Buffer): void {
  writeFileSync(path, content, { flag: "wx" });
}
