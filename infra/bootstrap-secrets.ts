// The Terraform side of the bootstrap secrets, what the cluster needs before Argo CD runs: the
// random k3s server and agent tokens, the private repository's token (a sensitive variable) and
// the sealing key pair (sealing-key.ts). Values exist only in Terraform state, in the user-data
// snippets on the Proxmox host and on the nodes; the synthesized JSON holds references. Every
// other secret is sealed in git (docs/secrets.md). Who can read them: docs/security.md.
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { Cluster } from "../cluster/schema";
import { gitopsRepoTokenBase64, k3sAgentToken, k3sToken, sealingKeyBase64 } from "./bootstrap/secrets";
import { SealingKey } from "./sealing-key";
import { secretManifestText } from "./bootstrap/auto-deploy";
import { sealingKeyFile } from "./bootstrap/secret-manifests";

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
    if (gitopsRepoTokenBase64.inUse(cluster)) {
      const name = "gitops_repo_token";
      const variable = new TerraformVariable(scope, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `HTTPS token with read access to ${cluster.gitops.repoUrl} (user ${cluster.gitops.username}), Argo CD's credentials for the rendered branch. Set TF_VAR_${name}.`,
        // terraform.tfvars.example holds "replace-me": a copy nobody filled in fails the plan, not the first boot.
        validation: [
          { condition: `\${var.${name} != "replace-me"}`, errorMessage: `${name} is still "replace-me" (from terraform.tfvars.example); set the real value.` },
        ],
      });
      substitutions.set(gitopsRepoTokenBase64.placeholder, Fn.base64encode(variable.stringValue));
    }
    if (sealingKeyBase64.inUse(cluster)) {
      const manifest = secretManifestText(cluster, sealingKeyFile)!;
      for (const [placeholder, expression] of new SealingKey(scope, "sealing", { labName: cluster.name, manifest }).substitutions)
        substitutions.set(placeholder, expression);
    }
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
