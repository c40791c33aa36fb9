// `npm run pin-image -- [<spec.yaml>…]`: sets template.image.checksum of each spec to the value
// the image's publisher lists for its URL (scripts/lib/cloud-image-checksum.ts). Needs network.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { defaultSpec, exitCodes, parseCommand, reportFailure, userPath, type Command } from "./lib/cli";
import { pinImageChecksum } from "./lib/cloud-image-checksum";
import { EnvironmentError, Refusal } from "./lib/command-errors";
import { fetchText } from "./lib/fetch-text";

const root = resolve(__dirname, "..");

const command: Command = {
  name: "pin-image",
  help: `usage: npm run pin-image -- [<spec.yaml>…]

Sets template.image.checksum of each spec (default: the repository's cluster/homelab.yaml; paths
you type are relative to where you run npm) to the checksum the image's publisher lists for its
URL (the build's SHA256SUMS). Needs network. Renovate runs it after bumping the image URL.
Exit 1 when the list has no such file; 74 when it could not be fetched.`,
  options: {},
  positionals: true,
};

async function main(): Promise<number> {
  const parsed = parseCommand(command, process.argv.slice(2));
  if (!parsed) return exitCodes.ok;
  const files = parsed.operands.length ? parsed.operands.map((file) => userPath(command, file)) : [resolve(root, defaultSpec)];
  for (const file of files) {
    const shown = relative(process.env.INIT_CWD ?? process.cwd(), file) || file;
    const result = await pinImageChecksum(readFileSync(file, "utf8"), fetchList);
    if (result.status === "no-image") process.stdout.write(`${shown}: no cloud image to pin (template.source is not cloud-image)\n`);
    else if (result.status === "unchanged") process.stdout.write(`${shown}: template.image.checksum already ${result.checksum}\n`);
    else {
      // A new file renamed over the spec: an interrupted run leaves the old spec whole.
      writeFileSync(`${file}.pin-image.tmp`, result.text);
      renameSync(`${file}.pin-image.tmp`, file);
      process.stdout.write(`${shown}: template.image.checksum set to ${result.checksum}\n`);
    }
  }
  return exitCodes.ok;
}

/** The publisher's list; an HTTP error (fetchText's Refusal) is a list that could not be fetched (74). */
async function fetchList(url: string): Promise<string> {
  try {
    return await fetchText(url);
  } catch (error) {
    throw error instanceof Refusal ? new EnvironmentError(error.message) : error;
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportFailure("pin-image", error)),
);
