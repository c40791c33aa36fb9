// Sealing one value exactly as the sealed-secrets controller's kubeseal does, so the controller
// (0.36.6, chart 2.18.5) decrypts it: bitnami-labs/sealed-secrets@v0.36.6
// - pkg/crypto/crypto.go#L33-L73 (HybridEncrypt): a fresh 32-byte session key, encrypted with
//   RSA-OAEP (SHA-256) under the label; the value encrypted with AES-256-GCM under that key and
//   a zero nonce (the key is used once); the output is
//   uint16 big-endian length of the RSA ciphertext ‖ RSA ciphertext ‖ AES ciphertext with its tag.
// - pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go#L90-L104 (EncryptionLabel): the
//   strict scope's label is "<namespace>/<name>" of the target Secret; #L252-L258: each value
//   is stored base64 (standard alphabet, padded) under its key in spec.encryptedData.
// Node's own crypto does all of it; nothing here decrypts (the compatibility test decrypts with a
// separate reading of upstream's code, test/helpers/unseal.ts).
import { constants, createCipheriv, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";

/** crypto.go#L17: sessionKeyBytes. */
const sessionKeyBytes = 32;
/** Go's cipher.NewGCM: a 12-byte nonce (all zeros here, crypto.go#L66-L67) and a 16-byte tag appended by Seal. */
const gcmNonceBytes = 12;

/** The strict scope's label: the value decrypts only into the Secret of this namespace and name. */
export function strictScopeLabel(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** HybridEncrypt: the bytes the controller's HybridDecrypt reads back with the private key. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: string): Buffer {
  const sessionKey = randomBytes(sessionKeyBytes);
  const rsaCiphertext = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: Buffer.from(label) },
    sessionKey,
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsaCiphertext.length);
  const cipher = createCipheriv("aes-256-gcm", sessionKey, Buffer.alloc(gcmNonceBytes));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([length, rsaCiphertext, sealed]);
}

/** One value of a SealedSecret's spec.encryptedData, for the Secret namespace/name. */
export function sealValue(publicKey: KeyObject, value: Buffer, namespace: string, name: string): string {
  return hybridEncrypt(publicKey, value, strictScopeLabel(namespace, name)).toString("base64");
}
