// Terraform's working files in a stack directory are the user's, not synth output (DECISIONS,
// issue 13): the staleness checks and publish ignore them, and the lock file may be committed
// (Terraform recommends it). .githooks/pre-commit lists the same patterns for git.
const names = new Set([".terraform", ".terraform.lock.hcl"]);
/** Variable files (`*.tfvars`, `*.auto.tfvars`, `*.tfvars.json`) and saved plans (`*.plan`, `*.tfplan`). */
const suffixes = /\.(tfvars|tfvars\.json|plan|tfplan)$/;

/** Is this path (relative, '/'-separated) one of Terraform's working files, or inside one? */
export function isTerraformWorkingFile(path: string): boolean {
  const parts = path.split("/");
  return parts.some((part) => names.has(part)) || suffixes.test(parts[parts.length - 1]);
}

/** git pathspecs that leave Terraform's working files below `dir` out of a command. */
export function excludingTerraformWorkingFiles(dir: string): string[] {
  return ["**/.terraform/**", "**/.terraform.lock.hcl", "**/*.tfvars", "**/*.tfvars.json", "**/*.plan", "**/*.tfplan"].map((glob) => `:(exclude,glob)${dir}/${glob}`);
}
