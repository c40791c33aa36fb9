// Runs the real `terraform validate` on a synthesized stack, offline: every provider the stacks
// require is the schema-only plugin (plugin.ts) serving the committed types-only schema from
// imports/, installed through a CLI configuration's dev_overrides (no registry, no
// `terraform init`, no network).
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/** Each provider the stacks require, with the schema file the plugin serves for it. */
export const schemaProviders = [
  { address: "bpg/proxmox", source: "registry.terraform.io/bpg/proxmox", binary: "terraform-provider-proxmox", schema: "imports/bpg-proxmox.schema.json" },
  { address: "hashicorp/random", source: "registry.terraform.io/hashicorp/random", binary: "terraform-provider-random", schema: "imports/hashicorp-random.schema.json" },
] as const;

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  readonly snippet?: { readonly context?: string };
}

export interface ValidateResult {
  readonly valid: boolean;
  /** Every diagnostic but the notice that dev_overrides are in effect (that is how this runs). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The terraform binary on PATH, or undefined. */
export function terraformOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (dir && spawnSync(candidate, ["version"], { stdio: "ignore", env: terraformEnv("/dev/null") }).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Plugin wrappers and a CLI configuration in a temporary directory, shared by every validate of
 * this process; removed when the process exits.
 */
let installed: { readonly dir: string; readonly cliConfig: string } | undefined;
function installPlugins(root: string) {
  if (installed) return installed;
  const dir = mkdtempSync(join(tmpdir(), "terraform-schema-plugins-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const plugins = join(dir, "plugins");
  mkdirSync(plugins);
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  for (const p of schemaProviders) {
    const command = [process.execPath, join(root, "scripts", "run.cjs"), "scripts/lib/terraform-validate/plugin.ts", join(root, p.schema), p.source];
    writeFileSync(join(plugins, p.binary), `#!/bin/sh\ncd ${quote(root)} && exec ${command.map(quote).join(" ")}\n`);
    chmodSync(join(plugins, p.binary), 0o755);
  }
  const overrides = schemaProviders.map((p) => `    "${p.address}" = ${JSON.stringify(plugins)}`).join("\n");
  const cliConfig = join(dir, "terraform.rc");
  writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n${overrides}\n  }\n  direct {}\n}\n`);
  installed = { dir, cliConfig };
  return installed;
}

function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_DISABLE_PLUGIN_TLS: "1", TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_LOG: "" };
}

/** `terraform validate -json` of one stack (its cdk.tf.json content), in a scratch directory. */
export async function validateStack(root: string, stack: unknown, terraform = "terraform"): Promise<ValidateResult> {
  const { cliConfig, dir } = installPlugins(root);
  const work = mkdtempSync(join(dir, "stack-"));
  try {
    writeFileSync(join(work, "cdk.tf.json"), JSON.stringify(stack, null, 2));
    const { stdout } = await promisify(execFile)(terraform, ["validate", "-json", "-no-color"], { cwd: work, env: terraformEnv(cliConfig), maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) => {
        // Exit 1 with JSON on stdout is an invalid configuration; anything else is an environment problem.
        if (error.stdout?.trim().startsWith("{")) return { stdout: error.stdout };
        throw new Error(`terraform validate failed to run: ${(error.stderr || error.message).trim()}`);
      },
    );
    const result = JSON.parse(stdout) as { valid: boolean; diagnostics: Diagnostic[] };
    return { valid: result.valid, diagnostics: result.diagnostics.filter((d) => d.summary !== "Provider development overrides are in effect") };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One line per diagnostic: severity, where (resource and line) and what. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.snippet?.context, d.range ? `${d.range.filename}:${d.range.start.line}` : undefined].filter(Boolean).join(", ");
  return `${d.severity}: ${d.summary}${where ? ` (${where})` : ""}${d.detail ? `: ${d.detail.replace(/\s+/g, " ")}` : ""}`;
}
