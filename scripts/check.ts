// `npm run check [-- --out dist] [-- --cluster cluster/homelab.yaml]`: the gate over what we
// emit — secrets, machine paths and timestamps, Kubernetes hygiene, schema validity of every
// document and Terraform resource, references. Exit 1 with the list of findings, 0 when clean.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { formatFinding } from "./lib/check/findings";
import { runCheck } from "./lib/check/run-check";
import { kindsWithoutOfflineSchema } from "./lib/validate/kubernetes-schemas";

const root = resolve(__dirname, "..");

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string", default: "dist" }, cluster: { type: "string", default: "cluster/homelab.yaml" } }, strict: true });
  const cluster = loadCluster(resolve(values.cluster!));
  const report = await runCheck(cluster, resolve(values.out!), root);
  const lines: string[] = report.findings.map(formatFinding);
  if (report.exemptionsUsed.length) {
    lines.push("", "exemptions (declared in the spec):");
    for (const e of report.exemptionsUsed) lines.push(`  ${e.object} [${e.rule}] ${e.reason} — ${e.declaredAt}`);
  }
  if (report.unvalidatedKinds.length) {
    lines.push("", "not schema-validated (no CRD schema in imports/crd-schemas):");
    for (const kind of report.unvalidatedKinds) lines.push(`  ${kind}: ${kindsWithoutOfflineSchema[kind]}`);
  }
  const verdict = report.findings.length
    ? `check: ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} in ${values.out} (${report.files} files, ${report.objects} Kubernetes objects)`
    : `check: ${values.out} passes (${report.files} files, ${report.objects} Kubernetes objects, ${report.exemptionsUsed.length} declared exemptions)`;
  process.stdout.write(`${[...lines, lines.length ? "" : undefined, verdict].filter((l) => l !== undefined).join("\n")}\n`);
  return report.findings.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`check: ${error instanceof SpecError || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
