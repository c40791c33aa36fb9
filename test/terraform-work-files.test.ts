// Which paths of an output are Terraform's working files, and which of those comparisons skip.
import { isTerraformWorkFile, isUncomparedWorkFile } from "../scripts/lib/terraform-work-files";

it.each([
  ["terraform/stacks/homelab/.terraform.lock.hcl", true, true],
  ["terraform/stacks/homelab/.terraform/providers/p", true, true],
  ["terraform/stacks/homelab/terraform.tfvars", true, true],
  ["terraform/stacks/homelab/terraform.tfvars.example", false, false],
  ["terraform/stacks/homelab/cdk.tf.json", false, false],
  // k8s/ is published whole: a working file there is compared like any other.
  ["k8s/plex/local.tfvars", true, false],
  ["k8s/plex/.terraform/providers/secret", true, false],
])("%s: a working file %s, left out of comparisons %s", (path, work, uncompared) => {
  expect(isTerraformWorkFile(path)).toBe(work);
  expect(isUncomparedWorkFile(path)).toBe(uncompared);
});
