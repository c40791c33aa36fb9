// Secrets the bootstrap needs, as placeholders in rendered text. Terraform replaces each with
// an interpolation at apply time (the value lives only in state and on the node); the copy
// in dist/bootstrap shows a description instead. No secret value ever exists at synth time.
import type { Cluster } from "../../cluster/schema";
import { appSecretTargets } from "./app-secrets";
import { vpnCredentialTargets } from "./vpn-credentials";

export interface BootstrapSecret {
  /** Placeholder in rendered user-data. */
  readonly placeholder: string;
  /** What dist/bootstrap shows instead. */
  readonly description: string;
  /** Whether the spec needs it: its Terraform variable, its manifest and its user-data file exist only then. */
  readonly inUse: (cluster: Cluster) => boolean;
}

const always = () => true;

export const k3sToken: BootstrapSecret = {
  placeholder: "@@K3S_TOKEN@@",
  description: "<k3s server token: random_password.k3s_token, set by terraform apply>",
  inUse: always,
};

/**
 * The k3s agent token: servers accept it as `agent-token`, agents join with it as `token`. It
 * admits agents only, so a worker's user-data never holds the server token, which is the
 * cluster's admin credential and the key of its bootstrap data (docs/security.md).
 */
export const k3sAgentToken: BootstrapSecret = {
  placeholder: "@@K3S_AGENT_TOKEN@@",
  description: "<k3s agent token: random_password.k3s_agent_token, set by terraform apply>",
  inUse: always,
};

/** Base64 of the Cloudflare API token (safe anywhere in YAML). */
export const cloudflareTokenBase64: BootstrapSecret = {
  placeholder: "@@CLOUDFLARE_API_TOKEN_BASE64@@",
  description: "<base64 of var.cloudflare_api_token, set by terraform apply>",
  /** cert-manager's DNS-01 solver and external-dns. */
  inUse: (c) => c.platform.certManager.enabled || c.platform.externalDns.enabled,
};

/** Base64 of the VPN credential Secrets (and their namespaces), built by Terraform from var.vpn_credentials. */
export const vpnSecretsBase64: BootstrapSecret = {
  placeholder: "@@VPN_SECRETS_BASE64@@",
  description: "<base64 of the vpn-<region> Secrets built from var.vpn_credentials, set by terraform apply>",
  inUse: (c) => vpnCredentialTargets(c).length > 0,
};

/** Base64 of the app Secrets (and their namespaces), built by Terraform from var.app_secrets. */
export const appSecretsBase64: BootstrapSecret = {
  placeholder: "@@APP_SECRETS_BASE64@@",
  description: "<base64 of the <app>-secrets Secrets built from var.app_secrets, set by terraform apply>",
  inUse: (c) => appSecretTargets(c).length > 0,
};

/** Base64 of the HTTPS token Argo CD reads a private rendered repository with. */
export const gitopsRepoTokenBase64: BootstrapSecret = {
  placeholder: "@@GITOPS_REPO_TOKEN_BASE64@@",
  description: "<base64 of var.gitops_repo_token, set by terraform apply>",
  inUse: (c) => c.gitops.private,
};

/** Base64 of Grafana's admin password. */
export const grafanaAdminPasswordBase64: BootstrapSecret = {
  placeholder: "@@GRAFANA_ADMIN_PASSWORD_BASE64@@",
  description: "<base64 of var.grafana_admin_password, set by terraform apply>",
  /** Grafana comes with the victoria-metrics-k8s-stack. */
  inUse: (c) => c.platform.victoriaMetrics.enabled,
};

export const bootstrapSecrets = [
  k3sToken,
  k3sAgentToken,
  cloudflareTokenBase64,
  vpnSecretsBase64,
  appSecretsBase64,
  gitopsRepoTokenBase64,
  grafanaAdminPasswordBase64,
] as const;

/** The text as a reviewer sees it in dist/bootstrap. */
export function describeSecrets(text: string): string {
  return bootstrapSecrets.reduce((out, s) => out.split(s.placeholder).join(s.description), text);
}
