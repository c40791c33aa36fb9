// The controller's side of sealing, written for the tests from upstream's Go source and kept
// apart from our encryptor (scripts/lib/sealing/hybrid-encrypt.ts), so a test that decrypts what
// `npm run seal` wrote checks it against upstream's reading, not against our own code backwards.
// bitnami-labs/sealed-secrets@v0.36.6:
// - pkg/crypto/crypto.go#L87-L124 (singleDecrypt): a 2-byte big-endian length; too short is an
//   error; RSA-OAEP with SHA-256 and the label gives the session key; AES-GCM with a zero nonce
//   opens the rest (ciphertext with its tag).
// - pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go#L266-L299 (Unseal): the label comes
//   from the SealedSecret's own metadata and scope annotations (#L90-L120: strict is
//   "namespace/name", namespace-wide "namespace", cluster-wide ""); each encryptedData value is
//   decoded with base64.StdEncoding (padding required; Go's decoder skips \r and \n, nothing
//   else). Template data goes through text/template with sprig and the decrypted values
//   (#L301-L314); this reading has no Go template engine, so it takes only data without template
//   actions, which renders as written, and refuses the rest rather than differ.
import { constants, createDecipheriv, privateDecrypt, type KeyObject } from "node:crypto";

const stdEncoding = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function singleDecrypt(privateKey: KeyObject, ciphertext: Buffer, label: Buffer): Buffer {
  if (ciphertext.length < 2) throw new Error("SealedSecret data is too short");
  const rsaLen = ciphertext.readUInt16BE(0);
  if (ciphertext.length < rsaLen + 2) throw new Error("SealedSecret data is too short");
  const rsaCiphertext = ciphertext.subarray(2, rsaLen + 2);
  const aesCiphertext = ciphertext.subarray(rsaLen + 2);
  const sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label }, rsaCiphertext);
  // Go's cipher.NewGCM: 12-byte nonce, 16-byte tag at the end of what Seal wrote.
  const tag = aesCiphertext.subarray(aesCiphertext.length - 16);
  const decipher = createDecipheriv(`aes-${sessionKey.length * 8}-gcm` as "aes-256-gcm", sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(aesCiphertext.subarray(0, aesCiphertext.length - 16)), decipher.final()]);
}

interface SealedSecretObject {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec: { readonly encryptedData: Record<string, string>; readonly template?: { readonly data?: Record<string, string> } };
}

/** The Secret's data the controller would write for this SealedSecret, or an error as Unseal returns one. */
export function unseal(object: SealedSecretObject, privateKey: KeyObject): Record<string, Buffer> {
  const annotations = object.metadata.annotations ?? {};
  const namespace = object.metadata.namespace ?? "";
  const label =
    annotations["sealedsecrets.bitnami.com/cluster-wide"] === "true"
      ? ""
      : annotations["sealedsecrets.bitnami.com/namespace-wide"] === "true"
        ? namespace
        : `${namespace}/${object.metadata.name}`;
  const data: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(object.spec.encryptedData)) {
    const base64 = value.replace(/[\r\n]/g, "");
    if (!stdEncoding.test(base64)) throw new Error(`${key}: illegal base64 data`);
    data[key] = singleDecrypt(privateKey, Buffer.from(base64, "base64"), Buffer.from(label));
  }
  for (const [key, value] of Object.entries(object.spec.template?.data ?? {})) {
    if (value.includes("{{")) throw new Error(`${key}: template actions are not modelled here (upstream renders them with text/template and sprig)`);
    data[key] = Buffer.from(value);
  }
  return data;
}
