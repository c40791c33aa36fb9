// `npm run fetch-crds [-- --out .crds]`: downloads the upstream CRD files that `npm run import`
// generates from (the cdk8s bindings of scripts/lib/crd-imports.ts and the validation schemas of
// scripts/lib/crd-schemas.ts), for machines without the offline copies in ../shared. Then:
// HOMELAB_CRDS_DIR=.crds npm run import. Tests and `npm run check` need neither: they read the
// committed imports/.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { commandArgs, exitCodes, reportFailure, type Command } from "./lib/cli";
import { Refusal } from "./lib/command-errors";
import { upstreamCrdFiles } from "./lib/crd-schemas";
import { fetchText } from "./lib/fetch-text";

const command: Command = {
  name: "fetch-crds",
  help: `usage: npm run fetch-crds -- [--out .crds]

Downloads the upstream CRD files npm run import generates from into --out (default .crds);
then: HOMELAB_CRDS_DIR=.crds npm run import. A file missing upstream (an HTTP error) or not a
CRD exits 1; a network failure exits 74; both name the URL and the cause.

  --out <dir>   where to write them (default: .crds)
  --help, -h    this text`,
  options: { out: { type: "string", default: ".crds" } },
};

async function main(): Promise<number> {
  const values = commandArgs(command, process.argv.slice(2));
  if (!values) return exitCodes.ok;
  const out = resolve(values.out as string);
  mkdirSync(out, { recursive: true });
  for (const { file, url } of upstreamCrdFiles) {
    const text = await fetchText(url);
    if (!/kind:\s*CustomResourceDefinition/.test(text)) throw new Refusal(`${url} is not a CustomResourceDefinition`);
    writeFileSync(join(out, `${file}.tmp`), text);
    renameSync(join(out, `${file}.tmp`), join(out, file));
  }
  process.stdout.write(`fetch-crds: ${upstreamCrdFiles.length} CRD files in ${values.out}\n`);
  return exitCodes.ok;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportFailure("fetch-crds", error)),
);
