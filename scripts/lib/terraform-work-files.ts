// What `terraform init/plan/apply` leaves in a stack directory: the user's, never synth's. Synth
// never writes or deletes them, comparisons of synth's output ignore them, and the lock file may
// be committed (Terraform recommends it).

/** Base names of Terraform's own files and directories. */
const workNames = new Set([".terraform", ".terraform.lock.hcl", ".terraform.tfstate.lock.info", "crash.log", "terraform.tfstate", "terraform.tfstate.backup"]);

/** Variable files (real values, gitignored), saved plans and state files. */
const workPatterns = [/\.tfvars$/, /\.tfvars\.json$/, /\.tfplan$/, /\.plan$/, /\.tfstate(\.|$)/];

/** Whether a path ('/'-separated, relative to an output) is or lies inside a Terraform working file. */
export function isTerraformWorkFile(path: string): boolean {
  return path.split("/").some((part) => workNames.has(part) || workPatterns.some((pattern) => pattern.test(part)));
}

/**
 * Whether comparisons of synth's output leave a path (relative to the output) out: Terraform's
 * working files do not count, except under k8s/, which is published whole.
 */
export function isUncomparedWorkFile(path: string): boolean {
  return !path.startsWith("k8s/") && isTerraformWorkFile(path);
}
