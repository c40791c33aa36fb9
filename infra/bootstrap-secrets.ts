// The Terraform side of the bootstrap secrets: the random k3s server and agent tokens, and the
// sensitive variables (Cloudflare API token, VPN credentials, app secrets). Values exist only in
// Terraform state, in the user-data snippets on the Proxmox host and on the nodes; the
// synthesized JSON holds references. Who can read them: docs/security.md.
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { Cluster } from "../cluster/schema";
import { appSecretsExpression, appSecretsValidation, appSecretTargets, declaredSecrets } from "./bootstrap/app-secrets";
import { appSecretsBase64, cloudflareTokenBase64, k3sAgentToken, k3sToken, vpnSecretsBase64 } from "./bootstrap/secrets";
import { vpnCredentialTargets, vpnSecretsExpression } from "./bootstrap/vpn-credentials";

export interface BootstrapSecretsProps {
  readonly cluster: Cluster;
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
    // Joins agents, not servers (bootstrap/secrets.ts): what a worker's user-data carries.
    const agentToken = new Password(scope, "k3s_agent_token", { length: 48, special: false, lifecycle: { preventDestroy: true } });
    const substitutions = new Map<string, string>([
      [k3sToken.placeholder, token.result],
      [k3sAgentToken.placeholder, agentToken.result],
    ]);
    const { cluster } = props;
    if (cluster.platform.certManager.enabled || cluster.platform.externalDns.enabled) {
      const cloudflare = new TerraformVariable(scope, "cloudflare_api_token", {
        type: "string",
        sensitive: true,
        nullable: false,
        description: "Cloudflare API token (Zone:DNS:Edit on the lab's zone) for cert-manager DNS-01 and external-dns. Set TF_VAR_cloudflare_api_token.",
      });
      substitutions.set(cloudflareTokenBase64.placeholder, Fn.base64encode(cloudflare.stringValue));
    }
    const regions = [...new Set(vpnCredentialTargets(cluster).map((t) => t.region))];
    if (regions.length) {
      const vpn = new TerraformVariable(scope, "vpn_credentials", {
        type: "map(map(string))",
        sensitive: true,
        nullable: false,
        description: `gluetun environment per VPN region (${regions.join(", ")}): VPN_SERVICE_PROVIDER, VPN_TYPE, WIREGUARD_PRIVATE_KEY, … Set TF_VAR_vpn_credentials.`,
        validation: [
          {
            condition: `\${alltrue([for r in ${JSON.stringify(regions)} : contains(keys(var.vpn_credentials), r)])}`,
            errorMessage: `vpn_credentials needs an entry for every VPN region the apps use: ${regions.join(", ")}.`,
          },
        ],
      });
      substitutions.set(vpnSecretsBase64.placeholder, vpnSecretsExpression(cluster, `var.${vpn.friendlyUniqueId}`));
    }
    if (appSecretTargets(cluster).length) {
      const apps = new TerraformVariable(scope, "app_secrets", {
        type: "map(map(string))",
        sensitive: true,
        nullable: false,
        description: `Secret environment of the apps, app → NAME → value, exactly the names apps[].secretEnv declares (${declaredSecrets(cluster)}). Set TF_VAR_app_secrets.`,
        validation: appSecretsValidation(cluster, "var.app_secrets"),
      });
      substitutions.set(appSecretsBase64.placeholder, appSecretsExpression(cluster, `var.${apps.friendlyUniqueId}`));
    }
    this.substitutions = substitutions;
  }
}
