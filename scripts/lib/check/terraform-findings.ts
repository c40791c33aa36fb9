// Terraform rules of `npm run check`: variables that carry credentials are sensitive; the Proxmox
// resources avoid what breaks an apply (proxmox-findings.ts); every template parses (HCL's
// parser, no terraform needed); and, when terraform is on PATH, the real
// `terraform validate` against the real provider schemas accepts the stack.
import { formatDiagnostic, validateStack } from "../terraform-validate/terraform-run";
import { checkTerraformTemplates } from "../validate/terraform-expressions";
import type { Finding } from "./findings";
import { checkProxmoxResources } from "./proxmox-findings";
import { checkBackupExposure } from "./backup-findings";

const credentialName = /token|password|secret|credential|private_key|api_key/i;

export interface TerraformCheckOptions {
  /** The terraform binary for `terraform validate`; undefined skips it. */
  readonly terraform?: string;
  readonly root: string;
}

/** `text`: the stack's cdk.tf.json as written (terraform validate's line numbers are its lines). */
export async function checkTerraformStack(file: string, text: string, options: TerraformCheckOptions): Promise<Finding[]> {
  const stack = JSON.parse(text) as Record<string, any>;
  const findings: Finding[] = [];
  for (const [name, variable] of Object.entries<any>(stack.variable ?? {})) {
    if (credentialName.test(name) && variable.sensitive !== true) {
      findings.push({
        file,
        object: `variable.${name}`,
        rule: "secret",
        message: "carries a credential but is not sensitive",
        fix: "declare the variable with sensitive: true",
      });
    }
  }
  findings.push(...checkProxmoxResources(file, stack), ...checkBackupExposure(file, stack));
  for (const problem of await checkTerraformTemplates(stack)) {
    findings.push({
      file,
      object: problem.split(":")[0],
      rule: "schema",
      message: `a Terraform template does not parse: ${problem}`,
      fix: "escape literal ${ as $${ and %{ as %%{",
    });
  }
  if (options.terraform) {
    const result = await validateStack(options.root, text, options.terraform);
    for (const d of result.diagnostics.filter((x) => x.severity === "error")) {
      findings.push({
        file,
        object: d.snippet?.context ?? "",
        rule: "schema",
        message: `terraform validate: ${formatDiagnostic(d)}`,
        fix: "correct the stack so that the provider's real schema accepts it (imports/bpg-proxmox.schema.json)",
      });
    }
  }
  return findings;
}
