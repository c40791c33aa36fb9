// A target's SealedSecret as the controller reads it: named and namespaced as its Secret (the
// strict scope's label is the SealedSecret's own namespace/name, bitnami-labs/sealed-secrets@v0.36.6:
// pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go#L266-L274), its template naming the
// same Secret as kubeseal writes it (#L214-L228), the stored ciphertexts under the Secret's keys and
// the plain keys in the template (Go templates without actions render as they are, #L301-L314). A
// value not sealed yet is simply absent (a placeholder: synth warns, check --strict fails).
import type { Construct } from "constructs";
import { SealedSecret } from "../../imports/sealed-secrets-sealedsecret-bitnami.com";
import { sealedLabel, type SealedStore } from "./store";
import type { SealedTarget } from "./targets";

export function sealedSecret(scope: Construct, target: SealedTarget, store: SealedStore): SealedSecret {
  const metadata = { name: target.secretName, namespace: target.namespace };
  return new SealedSecret(scope, `sealed-${target.namespace}-${target.secretName}`, {
    metadata,
    spec: {
      encryptedData: encryptedData(target, store),
      template: { metadata, type: "Opaque", ...(target.plain ? { data: { ...target.plain } } : {}) },
    },
  });
}

/** The stored ciphertexts of a target, by the Secret's key. */
export function encryptedData(target: SealedTarget, store: SealedStore): Record<string, string> {
  const stored = store.get(target.owner)?.get(sealedLabel(target.namespace, target.secretName));
  const keyOf = new Map((target.values ?? []).map((v) => [v.name, v.key]));
  const data: Record<string, string> = {};
  for (const [name, entry] of [...(stored ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = target.values ? keyOf.get(name) : name;
    if (key) data[key] = entry.encrypted;
  }
  return data;
}
