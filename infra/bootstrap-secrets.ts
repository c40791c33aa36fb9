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
import {
  appSecretsBase64,
  cloudflareTokenBase64,
  gitopsRepoTokenBase64,
  grafanaAdminPasswordBase64,
  k3sAgentToken,
  k3sToken,
  vpnSecretsBase64,
} from "./bootstrap/secrets";
import { vpnCredentialTargets, vpnSecretsExpression } from "./bootstrap/vpn-credentials";

export interface BootstrapSecretsProps {
  readonly cluster: Cluster;
}

export class BootstrapSecrets extends Construct {
  /** Placeholder → Terraform expression, for UserDataSnippet. */
  readonly substitutions: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: BootstrapSecretsProps) {
    super(scope, id);
    const { cluster } = props;
    const substitutions = new Map<string, string>(joinTokens(scope));
    const secretVariable = (name: string, description: string, placeholder: string) => {
      const variable = new TerraformVariable(scope, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `${description} Set TF_VAR_${name}.`,
        // terraform.tfvars.example holds "replace-me": a copy nobody filled in fails the plan, not the first boot.
        validation: [
          { condition: `\${var.${name} != "replace-me"}`, errorMessage: `${name} is still "replace-me" (from terraform.tfvars.example); set the real value.` },
        ],
      });
      substitutions.set(placeholder, Fn.base64encode(variable.stringValue));
    };
    if (cloudflareTokenBase64.inUse(cluster)) {
      secretVariable(
        "cloudflare_api_token",
        "Cloudflare API token (Zone:DNS:Edit on the lab's zone) for cert-manager DNS-01 and external-dns.",
        cloudflareTokenBase64.placeholder,
      );
    }
    if (grafanaAdminPasswordBase64.inUse(cluster)) {
      secretVariable(
        "grafana_admin_password",
        "Grafana's admin password (user admin), delivered as the Secret monitoring/grafana-admin at first boot.",
        grafanaAdminPasswordBase64.placeholder,
      );
    }
    if (gitopsRepoTokenBase64.inUse(cluster)) {
      secretVariable(
        "gitops_repo_token",
        `HTTPS token with read access to ${cluster.gitops.repoUrl} (user ${cluster.gitops.username}), Argo CD's credentials for the rendered branch.`,
        gitopsRepoTokenBase64.placeholder,
      );
    }
    for (const [placeholder, expression] of mapVariables(scope, cluster)) substitutions.set(placeholder, expression);
    this.substitutions = substitutions;
  }
}

/** The k3s server and agent tokens, random, created once: changing them breaks every later join. */
function joinTokens(scope: Construct): [string, string][] {
  new RandomProvider(scope, "random");
  // Safe unquoted in YAML and shell.
  const token = new Password(scope, "k3s_token", { length: 48, special: false, lifecycle: { preventDestroy: true } });
  // Joins agents, not servers (bootstrap/secrets.ts): what a worker's user-data carries.
  const agentToken = new Password(scope, "k3s_agent_token", { length: 48, special: false, lifecycle: { preventDestroy: true } });
  return [
    [k3sToken.placeholder, token.result],
    [k3sAgentToken.placeholder, agentToken.result],
  ];
}

/** The map-valued secrets, each validated against what the spec declares: VPN credentials, app secrets. */
function mapVariables(scope: Construct, cluster: Cluster): [string, string][] {
  const substitutions: [string, string][] = [];
  if (vpnSecretsBase64.inUse(cluster)) {
    const targets = vpnCredentialTargets(cluster);
    const regions = [...new Set(targets.map((t) => t.region))];
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
    substitutions.push([vpnSecretsBase64.placeholder, vpnSecretsExpression(cluster, targets, `var.${vpn.friendlyUniqueId}`)]);
  }
  if (appSecretsBase64.inUse(cluster)) {
    const targets = appSecretTargets(cluster);
    const apps = new TerraformVariable(scope, "app_secrets", {
      type: "map(map(string))",
      sensitive: true,
      nullable: false,
      description: `Secret environment of the apps, app → NAME → value, exactly the names apps[].secretEnv declares (${declaredSecrets(targets)}). Set TF_VAR_app_secrets.`,
      validation: appSecretsValidation(targets, "var.app_secrets"),
    });
    substitutions.push([appSecretsBase64.placeholder, appSecretsExpression(cluster, targets, `var.${apps.friendlyUniqueId}`)]);
  }
  return substitutions;
}
