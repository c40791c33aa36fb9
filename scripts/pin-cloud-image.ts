// `npm run pin-image -- <spec.yaml>…`: sets template.image.checksum of each spec to the value the
// image's publisher lists for its URL (scripts/lib/cloud-image-checksum.ts). Needs network.
// Exit 0: pinned or already right (or no cloud image); 1: the list has no such file; 2: usage;
// 74: the list could not be fetched or a spec not read or written.
import { readFileSync, writeFileSync } from "node:fs";
import { pinImageChecksum } from "./lib/cloud-image-checksum";
import { EnvironmentError, Refusal } from "./lib/command-errors";
import { fetchText } from "./lib/fetch-text";

const usage = `usage: npm run pin-image -- <spec.yaml>…

Sets template.image.checksum of each spec to the checksum the image's publisher lists for its URL
(the build's SHA256SUMS). Needs network. Renovate runs it after bumping the image URL.

exit codes: 0 pinned or already right (or no cloud image); 1 the list has no such file; 2 usage;
            74 the list could not be fetched, or a spec not read or written`;

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.includes("--help") || files.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (files.length === 0 || files.some((f) => f.startsWith("-"))) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  for (const file of files) {
    const result = await pinImageChecksum(readFileSync(file, "utf8"), fetchText);
    if (result.status === "no-image") process.stdout.write(`${file}: no cloud image to pin (template.source is not cloud-image)\n`);
    else if (result.status === "unchanged") process.stdout.write(`${file}: template.image.checksum already ${result.checksum}\n`);
    else {
      writeFileSync(file, result.text);
      process.stdout.write(`${file}: template.image.checksum set to ${result.checksum}\n`);
    }
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // Only fetchText throws these here: an HTTP error (its Refusal) is a list that could not be fetched too.
    const fetchFailed = error instanceof EnvironmentError || error instanceof Refusal;
    const io = fetchFailed || (error as NodeJS.ErrnoException)?.code !== undefined;
    process.stderr.write(`pin-image: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = io ? 74 : 1;
  },
);
