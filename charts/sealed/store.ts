// The sealed values synth renders, as read from cluster/sealed/ (scripts/lib/sealing/sealed-files.ts):
// per owner (an app, a platform component, a VPN region), per target Secret (its strict-scope
// label namespace/name), per NAME, the ciphertext and the public key it was sealed with. Stored
// ciphertext only: synth never encrypts, so its output is the same every run.

/**
 * One sealed value: its ciphertext and what it was sealed for. The ciphertext depends on the
 * public key alone (RSA-OAEP under it), so a renewed certificate of the same key (a lab rename,
 * its expiry) leaves every value valid: entries record the key.
 */
export type SealedEntry = SealedForKey | SealedForCertificate;

export interface SealedForKey {
  /** SHA-256 of the public key it was sealed with (the certificate's SubjectPublicKeyInfo, DER), colon-separated hex. */
  readonly publicKey: string;
  /** The value of spec.encryptedData: base64 of the controller's HybridEncrypt output. */
  readonly encrypted: string;
}

/** As the first release wrote entries: the certificate's SHA-256 fingerprint (`openssl x509 -fingerprint -sha256`) instead of the key's. */
export interface SealedForCertificate {
  readonly certificate: string;
  readonly encrypted: string;
}

/** label (namespace/name) → NAME → entry, of one owner's file. */
export type SealedFile = ReadonlyMap<string, ReadonlyMap<string, SealedEntry>>;

/** Every owner's file, by owner. */
export type SealedStore = ReadonlyMap<string, SealedFile>;

/** A lab with nothing sealed yet (and the default of every renderer: SealedSecrets without values). */
export const emptySealedStore: SealedStore = new Map();

export const sealedLabel = (namespace: string, name: string) => `${namespace}/${name}`;
