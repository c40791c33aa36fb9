// Terraform rules: variables that carry credentials are sensitive; every resource and argument
// exists in the pinned provider schema with the right type; every template parses.
import { checkTerraformJson } from "../../../infra/provider-schema/conformance";
import { checkTerraformTemplates } from "../validate/terraform-expressions";
import type { Finding } from "./findings";

const credentialName = /token|password|secret|credential|private_key|api_key/i;

export async function checkTerraformStack(file: string, stack: Record<string, any>, providerSchema: Parameters<typeof checkTerraformJson>[1]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [name, variable] of Object.entries<any>(stack.variable ?? {})) {
    if (credentialName.test(name) && variable.sensitive !== true) {
      findings.push({ file, object: `variable.${name}`, rule: "secret", message: "carries a credential but is not sensitive", fix: "declare the variable with sensitive: true" });
    }
  }
  for (const problem of checkTerraformJson(stack, providerSchema)) {
    const [address, ...rest] = problem.split(": ");
    findings.push({ file, object: address, rule: "schema", message: rest.join(": ") || problem, fix: "use only arguments of bpg/proxmox 0.111.1 (imports/bpg-proxmox.schema.json)" });
  }
  for (const problem of await checkTerraformTemplates(stack)) {
    findings.push({ file, object: problem.split(":")[0], rule: "schema", message: `a Terraform template does not parse: ${problem}`, fix: "escape literal ${ as $${ and %{ as %%{" });
  }
  return findings;
}
