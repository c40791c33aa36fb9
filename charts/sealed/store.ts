// The sealed values synth renders, as read from cluster/sealed/ (scripts/lib/sealing/sealed-files.ts):
// per owner (an app, a platform component, a VPN region), per target Secret (its strict-scope
// label namespace/name), per NAME, the ciphertext and the certificate it was sealed with. Stored
// ciphertext only: synth never encrypts, so its output is the same every run.

export interface SealedEntry {
  /** SHA-256 fingerprint of the certificate it was sealed with (as `openssl x509 -fingerprint -sha256` prints it). */
  readonly certificate: string;
  /** The value of spec.encryptedData: base64 of the controller's HybridEncrypt output. */
  readonly encrypted: string;
}

/** label (namespace/name) → NAME → entry, of one owner's file. */
export type SealedFile = ReadonlyMap<string, ReadonlyMap<string, SealedEntry>>;

/** Every owner's file, by owner. */
export type SealedStore = ReadonlyMap<string, SealedFile>;

/** A lab with nothing sealed yet (and the default of every renderer: SealedSecrets without values). */
export const emptySealedStore: SealedStore = new Map();

export const sealedLabel = (namespace: string, name: string) => `${namespace}/${name}`;
