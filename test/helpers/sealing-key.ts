// A throwaway sealing key pair for tests: what Terraform's tls_private_key and tls_self_signed_cert
// make for a real lab (RSA, a self-signed certificate), made here by the openssl CLI into a scratch
// folder. There is no real cluster, so the repository ships without cluster/sealing-cert.pem.
import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./spec-fixture";

export interface SealingKeyPair {
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

const made = new Map<string, SealingKeyPair>();

/** A key pair (RSA 2048: quick to make; the scheme is the same at 4096), one per name and process. */
export function throwawaySealingKey(name = "default", days = 2): SealingKeyPair {
  const key = `${name}/${days}`;
  if (!made.has(key)) {
    const dir = join(root, ".test-out", "sealing-keys", `${process.pid}-${name}-${days}`);
    mkdirSync(dir, { recursive: true });
    const [keyFile, certFile] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-subj", `/CN=test ${name}`, "-days", String(days)],
      {
        stdio: "ignore",
      },
    );
    made.set(key, { certificatePem: readFileSync(certFile, "utf8"), privateKey: createPrivateKey(readFileSync(keyFile)) });
  }
  return made.get(key)!;
}
