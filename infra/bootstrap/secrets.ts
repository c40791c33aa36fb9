// Secrets the bootstrap needs, as placeholders in rendered text: what the cluster needs before
// Argo CD runs — the k3s tokens, the private repository's token and the sealing key pair. Terraform
// replaces each with an interpolation at apply time (the value lives only in state and on the
// node); the copy in dist/bootstrap shows a description instead. No secret value ever exists at
// synth time. Every other secret is a SealedSecret in git (charts/sealed/, docs/secrets.md).
import type { Cluster } from "../../cluster/schema";

export interface BootstrapSecret {
  /** Placeholder in rendered user-data. */
  readonly placeholder: string;
  /** What dist/bootstrap shows instead. */
  readonly description: string;
  /** Whether the spec needs it: its Terraform resource or variable, its manifest and its user-data file exist only then. */
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

/** Base64 of the HTTPS token Argo CD reads a private rendered repository with. */
export const gitopsRepoTokenBase64: BootstrapSecret = {
  placeholder: "@@GITOPS_REPO_TOKEN_BASE64@@",
  description: "<base64 of var.gitops_repo_token, set by terraform apply>",
  inUse: (c) => c.gitops.private,
};

/** Base64 of the sealing key's PEM (tls_private_key.sealing_key): the sealed-secrets controller decrypts with it. */
export const sealingKeyBase64: BootstrapSecret = {
  placeholder: "@@SEALING_KEY_BASE64@@",
  description: "<base64 of tls_private_key.sealing_key.private_key_pem, set by terraform apply>",
  inUse: (c) => c.platform.sealedSecrets.enabled,
};

/** Base64 of its certificate (tls_self_signed_cert.sealing_cert), the public half cluster/sealing-cert.pem holds too. */
export const sealingCertificateBase64: BootstrapSecret = {
  placeholder: "@@SEALING_CERTIFICATE_BASE64@@",
  description: "<base64 of tls_self_signed_cert.sealing_cert.cert_pem, set by terraform apply>",
  inUse: (c) => c.platform.sealedSecrets.enabled,
};

export const bootstrapSecrets = [k3sToken, k3sAgentToken, gitopsRepoTokenBase64, sealingKeyBase64, sealingCertificateBase64] as const;

/** The text as a reviewer sees it in dist/bootstrap. */
export function describeSecrets(text: string): string {
  return bootstrapSecrets.reduce((out, s) => out.split(s.placeholder).join(s.description), text);
}
