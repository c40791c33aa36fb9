// Rule "secret": nothing in dist/ may look like a credential — private keys, known token
// formats, literal passwords, or long high-entropy strings. Allowed: public SSH keys, image
// digests, Terraform references (${…}) and our documented placeholders.
import type { Finding } from "./findings";

const knownFormats: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, "a Slack token"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/, "a JSON Web Token"],
  [/![A-Za-z0-9._-]+=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, "a Proxmox API token"],
];

/** key: value pairs whose key names a credential and whose value is a literal. */
const literalCredential = /["']?\b(password|passwd|secret|api[_-]?token|token|private[_-]?key|WIREGUARD_PRIVATE_KEY)["']?\s*[:=]\s*["']?([^\s"'{}$][^\s"']{3,})/i;

/** Strings that are long and random-looking, but known not to be secrets. */
const allowed = [
  /^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) AAAA/, // public keys
  /^sha256:[0-9a-f]{64}$/,
  /^[0-9a-f]{40}$/, // git commit ids (rendered branch README)
];

export function scanForSecrets(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((line, i) => {
    const where = { file, object: `line ${i + 1}` };
    for (const [pattern, what] of knownFormats) {
      if (pattern.test(line)) findings.push({ ...where, rule: "secret", message: `looks like ${what}`, fix: "remove it from the spec and pass it as a sensitive Terraform variable or a Secret created at bootstrap" });
    }
    const literal = literalCredential.exec(line);
    if (literal && !/^(<|\$\{|true$|false$|null$)/.test(literal[2]) && !/secretKeyRef|secretRef|SecretRef|Secret"?$/.test(line)) {
      findings.push({ ...where, rule: "secret", message: `'${literal[1]}' has a literal value`, fix: "reference a Secret or a sensitive variable instead of writing the value" });
    }
    for (const token of line.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
      if (token.startsWith("/")) continue; // an absolute path, not a credential
      const context = line.slice(Math.max(0, line.indexOf(token) - 40), line.indexOf(token) + token.length);
      if (allowed.some((a) => a.test(token) || a.test(context.trim().replace(/^.*?(ssh-|sha256:)/, "$1")))) continue;
      if (/AAAA[A-Za-z0-9+/]{40,}/.test(token) && /ssh-(ed25519|rsa)|ecdsa-/.test(line)) continue;
      if (entropy(token) >= 4.3 && /[0-9]/.test(token) && /[A-Z]/.test(token) && /[a-z]/.test(token)) {
        findings.push({ ...where, rule: "secret", message: `high-entropy string '${token.slice(0, 8)}…' may be a credential`, fix: "move secrets to sensitive variables; if it is not secret, declare an exemption with a reason" });
      }
    }
  });
  return findings;
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((h, n) => h - (n / text.length) * Math.log2(n / text.length), 0);
}
