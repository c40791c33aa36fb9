// `npm run fetch-crds [-- --out .crds]`: downloads the upstream CRD files that `npm run import`
// generates from (the cdk8s bindings of scripts/lib/crd-imports.ts and the validation schemas of
// scripts/lib/crd-schemas.ts), for machines without the offline copies in ../shared. Then:
// HOMELAB_CRDS_DIR=.crds npm run import. Tests and `npm run check` need neither: they read the
// committed imports/.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Refusal, reportFailure } from "./lib/command-errors";
import { crdImports } from "./lib/crd-imports";
import { crdSchemaSources } from "./lib/crd-schemas";
import { fetchText } from "./lib/fetch-text";
import { UsageError } from "./lib/usage-error";

const help = `usage: npm run fetch-crds -- [--out .crds]

Downloads the upstream CRD files npm run import generates from into --out (default .crds).
Then: HOMELAB_CRDS_DIR=.crds npm run import

exit codes: 0 downloaded; 1 a file is missing upstream (HTTP error) or is not a CRD; 2 usage;
74 network or disk error (names the URL or path)
`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({ options: { out: { type: "string", default: ".crds" }, help: { type: "boolean", short: "h", default: false } }, strict: true }).values;
  } catch (error) {
    return reportFailure("fetch-crds", new UsageError(`${(error as Error).message}; see npm run fetch-crds -- --help`));
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const out = resolve(values.out!);
  const files = new Map([...crdImports, ...crdSchemaSources].map((crd) => [crd.file, crd.url]));
  mkdirSync(out, { recursive: true });
  for (const [file, url] of files) {
    const text = await fetchText(url);
    if (!/kind:\s*CustomResourceDefinition/.test(text)) throw new Refusal(`${url} is not a CustomResourceDefinition`);
    writeFileSync(join(out, `${file}.tmp`), text);
    renameSync(join(out, `${file}.tmp`), join(out, file));
  }
  process.stdout.write(`fetch-crds: ${files.size} CRD files in ${values.out}\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportFailure("fetch-crds", error)),
);
