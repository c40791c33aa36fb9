// `npm run check`: the gate over what we emit — secrets, machine paths and timestamps,
// Kubernetes hygiene, schema validity of every document and Terraform resource, references, and
// convergence (the first boot and the first Argo CD sync, walked in order).
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadLab } from "./lib/lab";
import { formatFinding } from "./lib/check/findings";
import { runCheck } from "./lib/check/run-check";
import { commandArgs, defaultSpec, exitCodes, pathOption, reportFailure, type Command } from "./lib/cli";
import { UsageError } from "./lib/usage-error";
import { placeholderLines } from "./lib/placeholders";
import { terraformOnPath } from "./lib/terraform-validate/terraform-run";
import { kindsWithoutOfflineSchema } from "./lib/validate/kubernetes-schemas";

const root = resolve(__dirname, "..");

const command: Command = {
  name: "check",
  help: `usage: npm run check -- [--out <dir>] [--cluster <spec>] [--strict]

Inspects a synthesized output and lists every finding (file, object, rule, message, fix):
secrets, machine paths and timestamps, Kubernetes hygiene, the schema of every document and
real \`terraform validate\` of every stack (when terraform is on PATH), references, and the
convergence model of the first boot and sync (bootstrap, admission, sync-order, scheduling,
facts). Exemptions come from the spec and are listed in every run.

  --out <dir>       the output to inspect (default: the repository's dist)
  --cluster <spec>  the spec it was synthesized from (default: the repository's
                    cluster/homelab.yaml); paths you type are relative to where you run npm
  --strict          also fail on the spec's placeholders (values still to replace) and on
                    secrets still to seal (no sealing certificate yet, a value not sealed); use it
                    in the CI of your own lab
  --help, -h        this text`,
  options: {
    out: { type: "string" },
    cluster: { type: "string" },
    strict: { type: "boolean", default: false },
  },
};

async function main(): Promise<number> {
  const values = commandArgs(command, process.argv.slice(2));
  if (!values) return exitCodes.ok;
  const specFile = pathOption(command, values.cluster, defaultSpec, root);
  const { cluster, placeholders, secrets } = loadLab(specFile);
  const terraform = terraformOnPath();
  const outDir = existingOutput(pathOption(command, values.out, "dist", root));
  const shownOut = (values.out as string | undefined) ?? "dist";
  const report = await runCheck(cluster, outDir, root, { terraform });
  const lines: string[] = report.findings.map(formatFinding);
  // Secrets still to seal count as placeholders: the lab is not real until they are sealed.
  const unreplaced = values.strict ? [...placeholderLines(relative(process.cwd(), specFile), placeholders), ...secrets.pending] : [];
  lines.push(...unreplaced.map((line) => `${line} [placeholder]`));
  // Said every run, so a machine without terraform never passes this part silently.
  if (!terraform)
    lines.push("", "terraform validate: SKIPPED, no `terraform` on PATH (install Terraform >= 1.11 to check the stacks against the real provider schema)");
  if (report.exemptionsUsed.length) {
    lines.push("", "exemptions (declared in the spec):");
    for (const e of report.exemptionsUsed) lines.push(`  ${e.object} [${e.rule}] ${e.reason} — ${e.declaredAt}`);
  }
  if (report.unvalidatedKinds.length) {
    lines.push("", "not schema-validated (no CRD schema in imports/crd-schemas):");
    for (const kind of report.unvalidatedKinds) lines.push(`  ${kind}: ${kindsWithoutOfflineSchema[kind]}`);
  }
  const failures = report.findings.length + unreplaced.length;
  const counts = `${report.files} files, ${report.objects} Kubernetes objects`;
  const verdict = failures
    ? `check: ${failures} finding${failures === 1 ? "" : "s"} in ${shownOut} (${counts}${unreplaced.length ? `, ${unreplaced.length} placeholders` : ""})`
    : `check: ${shownOut} passes (${counts}, ${report.exemptionsUsed.length} declared exemptions${terraform ? ", Terraform stacks accepted by terraform validate" : ""}${placeholders.length + secrets.pending.length && !values.strict ? `, ${placeholders.length + secrets.pending.length} placeholders: --strict fails on them` : ""})`;
  process.stdout.write(`${[...lines, lines.length ? "" : undefined, verdict].filter((l) => l !== undefined).join("\n")}\n`);
  return failures ? exitCodes.changesOrFindings : exitCodes.ok;
}

/** The output to inspect must be a synthesized one: a usage error otherwise, not a crash. */
function existingOutput(dir: string): string {
  const shown = relative(process.cwd(), dir) || dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${shown} is not a directory; run npm run synth first, or name its output`);
  if (!existsSync(join(dir, "k8s")) || !existsSync(join(dir, "terraform")))
    throw new UsageError(`--out ${shown} holds no synthesized output (no k8s/ or terraform/); run npm run synth -- --out ${shown} first`);
  return dir;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportFailure("check", error)),
);
