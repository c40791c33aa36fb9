// `npm run import`: regenerates everything in imports/.
//   - imports/bpg-proxmox.schema.json: the types-only subset (no descriptions, only the types the
//     stacks use) of bpg/proxmox's real `terraform providers schema -json` output, for the version
//     cdktf.json pins (../shared/reference/bpg-proxmox/provider-schema-<version>.json, or the file
//     HOMELAB_PROVIDER_SCHEMA names)
//   - imports/providers/proxmox/: CDKTF bindings generated from that file like `cdktf get` does
//   - imports/hashicorp-{random,tls}.schema.json: the schemas of the resources we use of the providers
//     that come as prebuilt bindings, derived from their jsii assemblies (scripts/lib/prebuilt-schema.ts)
//   - imports/<module>.ts: cdk8s bindings of the CRDs in scripts/lib/crd-imports.ts, made by
//     `cdk8s import` from local copies of the upstream files (HOMELAB_CRDS_DIR, default
//     ../shared/reference/crds beside the repository)
//   - imports/crd-schemas/: the CRD schemas `npm run check` validates against, from the same
//     folder (scripts/lib/crd-schemas.ts)
// With `--check`, generates into a temporary directory and fails if imports/ differs. Without the
// reference files (a clone without ../shared), it regenerates the bindings from the committed
// types-only schema and says which comparisons it could not make.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { commandArgs, reportFailure, type Command } from "./lib/cli";
import { EnvironmentError } from "./lib/command-errors";
import { crdImports, crdSourceFile } from "./lib/crd-imports";
import { crdSourceDirectory, upstreamCrdFiles, writeCrdSchemas } from "./lib/crd-schemas";
import { generateProviderBindings } from "./lib/provider-bindings";
import { providerPin, proxmoxConstraint, proxmoxSource, realSchemaPath, schemaProviders, typesOnlySchema, type ProvidersSchema } from "./lib/provider-schema";
import { prebuiltProviderVersions } from "../infra/prebuilt-providers";
import { listFiles } from "./lib/output-tree";
import { prebuiltProviders, prebuiltSchema } from "./lib/prebuilt-schema";

const root = resolve(__dirname, "..");
const imports = join(root, "imports");
const proxmoxSchemaFile = schemaProviders.proxmox.file;

const command: Command = {
  name: "import",
  help: `usage: npm run import [-- --check]

Regenerates imports/ (generated code only): the types-only bpg/proxmox schema and its CDKTF
bindings, the schemas of hashicorp/random and hashicorp/tls, the cdk8s CRD modules and the CRD schemas npm run check
validates against. Reads the provider schema and CRDs from ../shared/reference (or
HOMELAB_PROVIDER_SCHEMA and HOMELAB_CRDS_DIR).

  --check       regenerate into a scratch folder and fail (exit 1) if imports/ differs; without
                the reference files, regenerate what the committed schemas allow and say so
  --help, -h    this text`,
  options: { check: { type: "boolean", default: false } },
};

async function main() {
  const values = commandArgs(command, process.argv.slice(2));
  if (!values) return;
  const target = values.check === true ? mkdtempSync(join(tmpdir(), "imports-")) : imports;
  try {
    const notChecked = await writeImports(target, values.check === true);
    if (!values.check) {
      process.stdout.write("imports/: provider schemas, bindings and CRD modules regenerated\n");
      return;
    }
    for (const note of notChecked) process.stdout.write(`imports/: not checked: ${note}\n`);
    // imports/ holds generated code only, so the whole tree must match.
    const differences = compareTrees(target, imports);
    if (differences.length) {
      process.stderr.write(`imports/ is stale; run \`npm run import\`:\n${differences.map((d) => `  ${d}`).join("\n")}\n`);
      process.exitCode = 1;
    } else process.stdout.write("imports/: up to date\n");
  } finally {
    if (values.check) rmSync(target, { recursive: true, force: true });
  }
}

/** Writes every generated file into target; returns what a check could not compare, and why. */
async function writeImports(target: string, check: boolean): Promise<string[]> {
  mkdirSync(target, { recursive: true });
  const notChecked: string[] = [];
  const pin = proxmoxConstraint(root);
  const schema = proxmoxTypesOnly(pin.version, check, notChecked);
  writeFileSync(join(target, proxmoxSchemaFile), `${JSON.stringify(schema, null, 2)}\n`);
  // Same layout as `cdktf get` with codeMakerOutput "imports": imports/providers/proxmox/
  rmSync(join(target, "providers", "proxmox"), { recursive: true, force: true });
  await generateProviderBindings(schema, pin.constraint, target);
  for (const provider of prebuiltProviders) {
    const schema = prebuiltSchema(root, provider);
    checkPin(provider.key, Object.values(schema.provider_versions ?? {})[0]);
    writeFileSync(join(target, schemaProviders[provider.key].file), `${JSON.stringify(schema, null, 2)}\n`);
  }
  await importCrds(target, check, notChecked);
  return notChecked;
}

/**
 * The types-only schema from the real one when it is here; for a check without it, the committed
 * copy (the bindings are then still regenerated from it), provided it is of the pinned version.
 */
function proxmoxTypesOnly(version: string, check: boolean, notChecked: string[]): ProvidersSchema {
  const real = realSchemaPath(root, version);
  if (existsSync(real)) return typesOnlySchema(JSON.parse(readFileSync(real, "utf8")) as ProvidersSchema, version);
  const help = `the real schema of bpg/proxmox ${version} is not at ${relative(root, real)} (docs/terraform.md, "Provider upgrades"; HOMELAB_PROVIDER_SCHEMA names another file)`;
  if (!check) throw new EnvironmentError(help);
  const committed = JSON.parse(readFileSync(join(imports, proxmoxSchemaFile), "utf8")) as ProvidersSchema;
  const committedVersion = committed.provider_versions?.[proxmoxSource];
  if (committedVersion !== version)
    throw new EnvironmentError(`cdktf.json pins bpg/proxmox ${version} but imports/${proxmoxSchemaFile} is ${committedVersion}, and ${help}`);
  notChecked.push(`imports/${proxmoxSchemaFile} against the real schema: ${help}`);
  return committed;
}

async function importCrds(target: string, check: boolean, notChecked: string[]) {
  const crdsDir = crdSourceDirectory(root);
  const missing = upstreamCrdFiles.filter((c) => !existsSync(crdSourceFile(crdsDir, c)));
  if (missing.length && check) {
    notChecked.push(`the CRD modules and schemas: ${missing.map((c) => c.file).join(", ")} not in ${crdsDir} (HOMELAB_CRDS_DIR)`);
    for (const file of readdirSync(imports).filter((f) => f.endsWith(".ts"))) copyFileSync(join(imports, file), join(target, file));
    cpSync(join(imports, "crd-schemas"), join(target, "crd-schemas"), { recursive: true });
    return;
  }
  if (missing.length) {
    throw new EnvironmentError(
      `CRD files not found in ${crdsDir}: ${missing.map((c) => c.file).join(", ")}; set HOMELAB_CRDS_DIR to a folder with the upstream CRDs listed in scripts/lib/crd-imports.ts and crd-schemas.ts (npm run fetch-crds downloads them)`,
    );
  }
  const cli = join(root, "node_modules", "cdk8s-cli", "bin", "cdk8s");
  const run = promisify(execFile);
  // One module per CRD (cdk8s writes one file per API group otherwise, and two CRDs of a group would collide).
  await Promise.all(
    crdImports.map((crd) =>
      run(
        process.execPath,
        [
          cli,
          "import",
          "--language",
          "typescript",
          "--no-save",
          "--check-upgrade",
          "false",
          "--output",
          target,
          `${crd.module}:=${crdSourceFile(crdsDir, crd)}`,
        ],
        { cwd: target },
      ),
    ),
  );
  writeCrdSchemas(crdsDir, target);
}

/**
 * A prebuilt package was generated from one provider release: cdktf.json's pin and the stacks'
 * required version must be that release, or terraform would check our JSON against one schema
 * and apply it with another provider.
 */
function checkPin(key: keyof typeof prebuiltProviderVersions, generatedFrom: string | undefined): void {
  const { address } = schemaProviders[key];
  const pinned = providerPin(root, address).version;
  if (pinned !== generatedFrom || prebuiltProviderVersions[key] !== generatedFrom)
    throw new EnvironmentError(
      `cdktf.json pins ${address} ${pinned} and infra/prebuilt-providers.ts ${prebuiltProviderVersions[key]}, but the installed prebuilt bindings were generated from ${generatedFrom}: pin the release the bindings were made from (docs/terraform.md, "Provider upgrades")`,
    );
}

function compareTrees(fresh: string, committed: string): string[] {
  const files = new Set([...listFiles(fresh), ...listFiles(committed)]);
  return [...files].sort().flatMap((file) => {
    const a = join(fresh, file);
    const b = join(committed, file);
    if (!existsSync(b)) return [`missing: imports/${file}`];
    if (!existsSync(a)) return [`extra: imports/${file}`];
    return readFileSync(a).equals(readFileSync(b)) ? [] : [`differs: imports/${file}`];
  });
}

main().catch((error: unknown) => {
  process.exitCode = reportFailure("import", error);
});
