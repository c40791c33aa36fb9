// A throwaway sealing key pair for tests: what Terraform's tls_private_key and tls_self_signed_cert
// make for a real lab (RSA, a self-signed certificate), made here by the openssl CLI into a scratch
// folder. There is no real cluster, so the repository ships without cluster/sealing-cert.pem.
import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../../cluster/load";
import { sealedLabel, type SealedEntry } from "../../charts/sealed/store";
import { sealedTargets } from "../../charts/sealed/targets";
import { sealValue } from "../../scripts/lib/sealing/hybrid-encrypt";
import { keyFingerprint } from "../../scripts/lib/sealing/certificate";
import { sealingPaths, writeSealedFile } from "../../scripts/lib/sealing/sealed-files";
import { root, type Fixture } from "./spec-fixture";

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

/** A new certificate for the same key, as Terraform makes one on a lab rename or at expiry (tls_self_signed_cert replaced, tls_private_key kept). */
export function renewedCertificate(pair: SealingKeyPair, subject: string): string {
  const dir = join(root, ".test-out", "sealing-keys", `${process.pid}-renewed-${subject.replace(/\W/g, "_")}`);
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, "key.pem");
  writeFileSync(keyFile, pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  return execFileSync("openssl", ["req", "-x509", "-new", "-key", keyFile, "-subj", `/CN=${subject}`, "-days", "30"], { encoding: "utf8" });
}

/**
 * Writes a lab as its owner keeps it: the spec at dir/<file>, and, when it seals anything, the
 * certificate and the sealed values beside it, each value "<owner>/<NAME>" (as npm run seal would).
 */
export function writeLab(dir: string, file: string, fixture: Pick<Fixture, "text" | "sealed">): string {
  const specFile = join(dir, file);
  writeFileSync(specFile, fixture.text);
  if (!fixture.sealed?.length) return specFile;
  const key = throwawaySealingKey();
  const certificate = new X509Certificate(key.certificatePem);
  const paths = sealingPaths(specFile);
  writeFileSync(paths.certificate, key.certificatePem);
  const targets = sealedTargets(parseCluster(fixture.text, file));
  const files = new Map<string, Map<string, Map<string, SealedEntry>>>();
  for (const [owner, name] of fixture.sealed) {
    for (const t of targets.filter((x) => x.owner === owner && (!x.values || x.values.some((v) => v.name === name)))) {
      const label = sealedLabel(t.namespace, t.secretName);
      const ownerFile = files.get(owner) ?? new Map<string, Map<string, SealedEntry>>();
      const entries = ownerFile.get(label) ?? new Map<string, SealedEntry>();
      entries.set(name, {
        publicKey: keyFingerprint(certificate.publicKey),
        encrypted: sealValue(certificate.publicKey, Buffer.from(`${owner}/${name}`), t.namespace, t.secretName),
      });
      ownerFile.set(label, entries);
      files.set(owner, ownerFile);
    }
  }
  for (const [owner, file] of files) writeSealedFile(paths.sealed, owner, file);
  return specFile;
}
