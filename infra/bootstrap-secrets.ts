// The Terraform side of the bootstrap secrets: a random k3s join token and the Cloudflare
// API token variable. Values exist only in Terraform state and on the nodes; the synthesized
// JSON holds references. Protect the state accordingly (local file outside git, or S3).
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { cloudflareTokenBase64, k3sToken } from "./bootstrap/secrets";

export interface BootstrapSecretsProps {
  /** Whether a component needs the Cloudflare token (cert-manager, external-dns). */
  readonly needsCloudflare: boolean;
}

export class BootstrapSecrets extends Construct {
  /** Placeholder → Terraform expression, for UserDataSnippet. */
  readonly substitutions: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: BootstrapSecretsProps) {
    super(scope, id);
    new RandomProvider(scope, "random");
    const token = new Password(scope, "k3s_token", {
      length: 48,
      special: false, // safe unquoted in YAML and shell
      // Changing the token of a running cluster breaks joins; it is created once.
      lifecycle: { preventDestroy: true },
    });
    const substitutions = new Map<string, string>([[k3sToken.placeholder, token.result]]);
    if (props.needsCloudflare) {
      const cloudflare = new TerraformVariable(scope, "cloudflare_api_token", {
        type: "string",
        sensitive: true,
        nullable: false,
        description: "Cloudflare API token (Zone:DNS:Edit on the lab's zone) for cert-manager DNS-01 and external-dns. Set TF_VAR_cloudflare_api_token.",
      });
      substitutions.set(cloudflareTokenBase64.placeholder, Fn.base64encode(cloudflare.stringValue));
    }
    this.substitutions = substitutions;
  }
}
