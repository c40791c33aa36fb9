// Runs the real `terraform validate` on a synthesized stack, offline: every provider the stacks
// require is the schema-only plugin (plugin.ts) serving the committed types-only schema from
// imports/ (no provider binary, no registry, no `terraform init`, no network).
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { schemaProviders as providers } from "../provider-schema";

/** What a go-plugin host passes to a Terraform provider (hashicorp/terraform internal/plugin6/serve.go). */
export const pluginMagicCookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/** Each provider the stacks require, with the schema file the plugin serves for it. */
const schemaProviders = Object.values(providers).map((p) => ({ ...p, schema: `imports/${p.file}` }));

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
  readonly diagnostics: readonly Diagnostic[];
}

/** The terraform binary on PATH, or undefined. */
export function terraformOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (
      dir &&
      spawnSync(candidate, ["version"], { stdio: "ignore", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" } }).status === 0
    )
      return candidate;
  }
  return undefined;
}

/**
 * One plugin process per provider, started here once and shared by every validate of this
 * process: Terraform attaches to them through TF_REATTACH_PROVIDERS (go-plugin's reattach, which
 * Terraform reads for providers it does not start itself) instead of starting two processes per
 * provider and run. They exit when this process ends (their stdin closes).
 */
let running: Promise<NodeJS.ProcessEnv> | undefined;
function schemaProvidersEnv(root: string): Promise<NodeJS.ProcessEnv> {
  running ??= Promise.all(schemaProviders.map((p) => startPlugin(root, p))).then((entries) => ({
    ...process.env,
    TF_REATTACH_PROVIDERS: JSON.stringify(Object.fromEntries(entries)),
    TF_CLI_CONFIG_FILE: "/dev/null",
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    TF_LOG: "",
  }));
  return running;
}

function startPlugin(root: string, provider: (typeof schemaProviders)[number]): Promise<[string, unknown]> {
  const child = spawn(
    process.execPath,
    [join(root, "scripts", "run.cjs"), "scripts/lib/terraform-validate/plugin.ts", join(root, provider.schema), provider.source],
    {
      cwd: root,
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: pluginMagicCookie, SCHEMA_PLUGIN_EXIT_WITH_STDIN: "1" },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const handshake = out.match(/^1\|6\|tcp\|([\d.]+:\d+)\|grpc\n/);
      if (!handshake) return;
      // From here on the plugin must not keep this process alive; it exits when its stdin closes.
      for (const handle of [child, child.stdout, child.stdin] as unknown as { unref(): void }[]) handle.unref();
      resolve([provider.source, { Protocol: "grpc", ProtocolVersion: 6, Pid: child.pid, Test: true, Addr: { Network: "tcp", String: handshake[1] } }]);
    });
    child.on("exit", (code) => reject(new Error(`the schema-only provider for ${provider.address} exited (${code}) before its handshake`)));
  });
}

/**
 * `terraform validate -json` of one stack, in a scratch directory. `stackText` is the cdk.tf.json
 * file as written, so a diagnostic's line is the line in that file.
 */
export async function validateStack(root: string, stackText: string, terraform = "terraform"): Promise<ValidateResult> {
  const env = await schemaProvidersEnv(root);
  const work = mkdtempSync(join(tmpdir(), "terraform-validate-"));
  try {
    writeFileSync(join(work, "cdk.tf.json"), stackText);
    const { stdout } = await promisify(execFile)(terraform, ["validate", "-json", "-no-color"], { cwd: work, env, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) => {
        // Exit 1 with JSON on stdout is an invalid configuration; anything else is an environment problem.
        if (error.stdout?.trim().startsWith("{")) return { stdout: error.stdout };
        throw new Error(`terraform validate failed to run: ${(error.stderr || error.message).trim()}`);
      },
    );
    const result = JSON.parse(stdout) as { valid: boolean; diagnostics: Diagnostic[] };
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One line per diagnostic: severity, where (resource and line) and what. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.snippet?.context, d.range ? `${d.range.filename}:${d.range.start.line}` : undefined].filter(Boolean).join(", ");
  return `${d.severity}: ${d.summary}${where ? ` (${where})` : ""}${d.detail ? `: ${d.detail.replace(/\s+/g, " ")}` : ""}`;
}
