// A target's SealedSecret as the controller reads it: named and namespaced as its Secret (the
// strict scope's label is the SealedSecret's own namespace/name, bitnami-labs/sealed-secrets@v0.36.6:
// pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go#L266-L274), its template naming the
// same Secret as kubeseal writes it (#L214-L228), the stored ciphertexts under the Secret's keys and
// the plain keys in the template (Go templates without actions render as they are, #L301-L314). A
// value not sealed yet is simply absent (a placeholder: synth warns, check --strict fails).
//
// Its health never holds a wave. One that cannot be decrypted (a key not delivered, a value
// sealed for another key, a Secret not handed over) is Degraded (argo-cd@v3.4.4:
// resource_customizations/bitnami.com/SealedSecret/health.lua#L5-L8) and stays so until its spec
// changes or the controller restarts (v0.36.6 pkg/controller/controller.go#L166, #L314-L321);
// in an Application a later wave waits for, its Application would be Degraded and the root
// Application's sync would fail at that wave on every retry (gitops-engine/pkg/sync/
// sync_context.go#L543-L553), applying no later Application — the fix's included. There it is
// left out of its Application's health (controller/health.go#L40-L43); what reads its Secret
// waits for the Secret itself. In the last wave it holds nothing, and stays a visible signal.
import type { Construct } from "constructs";
import { SealedSecret } from "../../imports/sealed-secrets-sealedsecret-bitnami.com";
import { sealedLabel, type SealedStore } from "./store";
import type { SealedTarget } from "./targets";

export const ignoreHealthAnnotation = "argocd.argoproj.io/ignore-healthcheck";

export interface SealedSecretOptions {
  /** Whether its Application is in a wave before the last, which the root Application waits for. */
  readonly gatesLaterWaves: boolean;
}

export function sealedSecret(scope: Construct, target: SealedTarget, store: SealedStore, options: SealedSecretOptions): SealedSecret {
  const metadata = { name: target.secretName, namespace: target.namespace };
  return new SealedSecret(scope, `sealed-${target.namespace}-${target.secretName}`, {
    metadata: { ...metadata, ...(options.gatesLaterWaves ? { annotations: { [ignoreHealthAnnotation]: "true" } } : {}) },
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
