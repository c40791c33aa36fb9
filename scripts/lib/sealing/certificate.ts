// The sealing certificate (cluster/sealing-cert.pem, the stack's sealing_certificate output), read
// the way kubeseal reads it (bitnami-labs/sealed-secrets@v0.36.6: pkg/kubeseal/kubeseal.go#L42-L69):
// the first certificate of the PEM, an RSA public key, and not expired.
import { X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

export interface SealingCertificate {
  readonly publicKey: KeyObject;
  /** SHA-256 of the certificate, as `openssl x509 -noout -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
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
  return { publicKey: certificate.publicKey, fingerprint: certificate.fingerprint256, notAfter: new Date(certificate.validTo) };
}

export function readSealingCertificate(path: string, shown: string): SealingCertificate | { readonly problem: string } {
  return parseSealingCertificate(readFileSync(path, "utf8"), shown);
}

export const isExpired = (certificate: SealingCertificate, now = new Date()) => now > certificate.notAfter;
