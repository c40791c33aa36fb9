// `npm run fetch-crds [-- --out .crds]`: downloads the upstream CRD files listed in
// scripts/lib/crd-imports.ts (the URLs cdk8s.yaml names) for machines without the offline
// copies, e.g. GitHub Actions. Then: HOMELAB_CRDS_DIR=.crds npm test.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { crdImports } from "./lib/crd-imports";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string", default: ".crds" } }, strict: true });
  const out = resolve(values.out!);
  mkdirSync(out, { recursive: true });
  for (const crd of crdImports) {
    const response = await fetch(crd.url);
    if (!response.ok) {
      process.stderr.write(`fetch-crds: ${crd.url}: HTTP ${response.status}\n`);
      return 1;
    }
    const text = await response.text();
    if (!/kind:\s*CustomResourceDefinition/.test(text)) {
      process.stderr.write(`fetch-crds: ${crd.url} is not a CustomResourceDefinition\n`);
      return 1;
    }
    writeFileSync(join(out, `${crd.file}.tmp`), text);
    renameSync(join(out, `${crd.file}.tmp`), join(out, crd.file));
  }
  process.stdout.write(`fetch-crds: ${crdImports.length} CRDs in ${values.out}\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`fetch-crds: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
