// `npm run import`: regenerates everything in imports/ from sources in this repository.
//   - imports/bpg-proxmox.schema.json: the provider schema (`terraform providers schema -json` format)
//   - imports/providers/proxmox/: CDKTF bindings, generated from that schema like `cdktf get` does
//   - imports/<module>.ts: cdk8s bindings of the CRDs in scripts/lib/crd-imports.ts, made by
//     `cdk8s import` from local copies of the upstream files (HOMELAB_CRDS_DIR, default
//     ../shared/reference/crds beside the repository)
//   - imports/crd-schemas/: the CRD schemas `npm run check` validates against (scripts/lib/crd-schemas.ts)
// With `--check`, generates into a temporary directory and fails if imports/ differs; without
// the upstream CRD files (a fresh clone), it checks everything but what is generated from them.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { crdImports } from "./lib/crd-imports";
import { crdSourceDirectory, writeCrdSchemas } from "./lib/crd-schemas";
import { generateProviderBindings } from "../infra/provider-schema/generate";
import { proxmoxSchema } from "../infra/provider-schema";

const root = resolve(__dirname, "..");
const imports = join(root, "imports");

async function main() {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  const target = values.check ? mkdtempSync(join(tmpdir(), "imports-")) : imports;
  // Without the CRD sources only --check can run, and it leaves out what they generate.
  const crdDerived = values.check && !existsSync(crdSourceDirectory(root)) ? isCrdDerived : () => false;
  try {
    await writeImports(target, crdDerived);
    if (!values.check) {
      process.stdout.write(`imports/: provider schema and bindings regenerated\n`);
      return;
    }
    // imports/ holds generated code only, so the whole tree must match.
    const differences = compareTrees(target, imports, [...new Set([...readdirSync(target), ...readdirSync(imports)])]).filter((d) => !crdDerived(d.split("imports/")[1]));
    if (differences.length) {
      process.stderr.write(`imports/ is stale; run \`npm run import\`:\n${differences.map((d) => `  ${d}`).join("\n")}\n`);
      process.exitCode = 1;
    } else process.stdout.write(`imports/: up to date${crdDerived("crd-schemas/") ? ` (CRD-generated files not checked: no CRD files in ${crdSourceDirectory(root)})` : ""}\n`);
  } finally {
    if (values.check) rmSync(target, { recursive: true, force: true });
  }
}

async function writeImports(target: string, crdDerived: (file: string) => boolean) {
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "bpg-proxmox.schema.json"), `${JSON.stringify(proxmoxSchema, null, 2)}\n`);
  // Same layout as `cdktf get` with codeMakerOutput "imports": imports/providers/proxmox/
  rmSync(join(target, "providers", "proxmox"), { recursive: true, force: true });
  await generateProviderBindings(target);
  if (crdDerived("crd-schemas/")) return;
  await importCrds(target);
  writeCrdSchemas(crdSourceDirectory(root), target);
}

const isCrdDerived = (file: string) => file.startsWith("crd-schemas/") || crdImports.some((crd) => file.startsWith(`${crd.module}-`));

async function importCrds(target: string) {
  const crdsDir = crdSourceDirectory(root);
  const missing = crdImports.filter((c) => !existsSync(join(crdsDir, c.file)));
  if (missing.length) {
    throw new Error(`CRD files not found in ${crdsDir}: ${missing.map((c) => c.file).join(", ")}; set HOMELAB_CRDS_DIR to a folder with the upstream CRDs listed in scripts/lib/crd-imports.ts`);
  }
  const cli = join(root, "node_modules", "cdk8s-cli", "bin", "cdk8s");
  const run = promisify(execFile);
  // One module per CRD (cdk8s writes one file per API group otherwise, and two CRDs of a group would collide).
  await Promise.all(
    crdImports.map((crd) =>
      run(process.execPath, [cli, "import", "--language", "typescript", "--no-save", "--check-upgrade", "false", "--output", target, `${crd.module}:=${join(crdsDir, crd.file)}`], { cwd: target }),
    ),
  );
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

function compareTrees(fresh: string, committed: string, entries: string[]): string[] {
  const files = new Set(entries.flatMap((e) => [fresh, committed].flatMap((d) => (statSafe(join(d, e))?.isDirectory() ? listFiles(join(d, e), d) : existsSync(join(d, e)) ? [e] : []))));
  return [...files].sort().flatMap((file) => {
    const a = join(fresh, file);
    const b = join(committed, file);
    if (!existsSync(b)) return [`missing: imports/${file}`];
    if (!existsSync(a)) return [`extra: imports/${file}`];
    return readFileSync(a).equals(readFileSync(b)) ? [] : [`differs: imports/${file}`];
  });
}

function statSafe(path: string) {
  return existsSync(path) ? statSync(path) : undefined;
}

main().catch((error: unknown) => {
  process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
