// Where Terraform keeps state. Never in dist/ (committed, published) and never as an
// absolute path of the machine that ran synth: a local path is written relative to the
// stack's directory, which is where `terraform` runs.
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { join, relative } from "node:path";
import type { Cluster } from "../cluster/schema";

export interface BackendOptions {
  /** Repository root: local state paths in the spec are relative to it. */
  readonly root: string;
  /** Final (not temporary) directory of the Terraform output; each stack's cdk.tf.json is in stacks/<stack id>/. */
  readonly finalOutdir: string;
}

export function configureBackend(stack: TerraformStack, backend: Cluster["terraform"]["backend"], options: BackendOptions): void {
  if (backend.type === "local") {
    const stackDir = join(options.finalOutdir, "stacks", stack.node.id);
    const statePath = relative(stackDir, `${options.root}/${backend.path}`).split("\\").join("/");
    new LocalBackend(stack, { path: statePath });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    // Server-side encryption of the state object, which holds every bootstrap secret. MinIO
    // refuses it unless a KMS is configured ("Server side encryption specified but KMS is not
    // configured", minio/minio#16904): docs/security.md says how.
    encrypt: true,
    ...(backend.endpoint
      ? {
          endpoints: { s3: backend.endpoint },
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
        }
      : {}),
  });
  // S3's own locking (a .tflock object beside the state, written with a conditional PUT): two
  // applies at once (CI and a laptop) cannot both write the state. `use_lockfile` came with
  // Terraform 1.10 and is generally available since 1.11 (Terraform's upgrade guides, "S3 Native
  // State Locking", v1.10.x and v1.11.x); cdktf 0.21's S3Backend does not know it, so it is set
  // on the block itself. test/exposure-at-rest.test.ts has real `terraform init` accept it.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  stack.addOverride("terraform.required_version", ">= 1.10.0");
}
