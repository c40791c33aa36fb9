// The sealing certificate (cluster/sealing-cert.pem, the stack's sealing_certificate output), read
// the way kubeseal reads it (bitnami-labs/sealed-secrets@v0.36.6: pkg/kubeseal/kubeseal.go#L42-L69):
// the first certificate of the PEM, an RSA public key, and not expired.
import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SealedEntry } from "../../../charts/sealed/store";

export interface SealingCertificate {
  readonly publicKey: KeyObject;
  /** SHA-256 of the certificate, as `openssl x509 -noout -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
  /** SHA-256 of its public key (SubjectPublicKeyInfo, DER), in the same notation: what a sealed value depends on. */
  readonly keyFingerprint: string;
  readonly notAfter: Date;
}

/** Why a certificate text cannot seal, or its public key. `shown` names the file in messages. */
export function parseSealingCertificate(pem: string, shown: string): SealingCertificate | { readonly problem: string } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return { problem: `${shown} is not a PEM certificate; write the stack's output into it: terraform output -raw sealing_certificate > ${shown}` };
  }
  if (certificate.publicKey.asymmetricKeyType !== "rsa")
    return { problem: `${shown} holds no RSA public key; the sealed-secrets controller only decrypts with RSA` };
  return {
    publicKey: certificate.publicKey,
    fingerprint: certificate.fingerprint256,
    keyFingerprint: keyFingerprint(certificate.publicKey),
    notAfter: new Date(certificate.validTo),
  };
}

export function readSealingCertificate(path: string, shown: string): SealingCertificate | { readonly problem: string } {
  return parseSealingCertificate(readFileSync(path, "utf8"), shown);
}

export const isExpired = (certificate: SealingCertificate, now = new Date()) => now > certificate.notAfter;

/**
 * What to do about an expired certificate: nothing but write the new one. hashicorp/tls replaces
 * an expired tls_self_signed_cert at the next apply (its docs, "Automatic Renewal"), for the same
 * tls_private_key, so every sealed value stays valid (isSealedFor).
 */
export const renewal = (shown: string) =>
  `\`terraform apply\` of the lab's stack renews it for the same key, so every sealed value stays valid: then \`terraform output -raw sealing_certificate > ${shown}\` and commit it`;

/** AB:CD:… of the SHA-256 of a public key's DER SubjectPublicKeyInfo (`openssl pkey -pubin -outform DER | openssl dgst -sha256 -c`, upper case). */
export function keyFingerprint(publicKey: KeyObject): string {
  const digest = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .toUpperCase();
  return digest.match(/../g)!.join(":");
}

/**
 * Whether a stored value decrypts with this certificate's key. The ciphertext depends on the
 * public key alone (hybrid-encrypt.ts), so a renewed certificate of the same key changes nothing;
 * an entry of the first release names only its certificate, so it matches that one only.
 */
export function isSealedFor(entry: SealedEntry, certificate: SealingCertificate): boolean {
  return "publicKey" in entry ? entry.publicKey === certificate.keyFingerprint : entry.certificate === certificate.fingerprint;
}
