// Rule "sealed": a SealedSecret decrypts only into the namespace and name of its own metadata,
// which is the strict scope's label its values were sealed for (bitnami-labs/sealed-secrets@v0.36.6:
// pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go#L270-L274, #L337-L339). A template
// that names another Secret was sealed for that other label and never decrypts here; the
// controller itself warns about such metadata (pkg/controller/controller.go#L571-L576). And only
// the strict scope: a cluster-wide or namespace-wide annotation would let the value be unsealed
// elsewhere (#L111-L120).
import type { RenderedObject } from "../validate/kubernetes-references";
import { objectId } from "../validate/kubernetes-objects";
import type { Finding } from "./findings";

const wideScopes = ["sealedsecrets.bitnami.com/cluster-wide", "sealedsecrets.bitnami.com/namespace-wide"];

export function checkSealedSecrets(rendered: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const { file, object } of rendered) {
    if (object.kind !== "SealedSecret" || !object.apiVersion.startsWith("bitnami.com/")) continue;
    const own = object.metadata;
    const template = ((object.spec as any)?.template?.metadata ?? {}) as { name?: string; namespace?: string; annotations?: Record<string, string> };
    const report = (message: string, fix: string) => findings.push({ file: `k8s/${file}`, object: objectId(object), rule: "sealed", message, fix });
    for (const field of ["name", "namespace"] as const) {
      if (template[field] !== undefined && template[field] !== own[field])
        report(
          `its template's ${field} is ${template[field]}, but it is itself ${own[field]}: its values were sealed for ${template.namespace ?? own.namespace}/${template.name ?? own.name} and never decrypt as ${own.namespace}/${own.name}`,
          "seal the values for the Secret the SealedSecret is named after (npm run seal), with the same name and namespace in both",
        );
    }
    for (const annotation of wideScopes)
      if (own.annotations?.[annotation] === "true" || template.annotations?.[annotation] === "true")
        report(`carries ${annotation}: its values would decrypt outside ${own.namespace}/${own.name}`, "seal with the strict scope only (npm run seal)");
  }
  return findings;
}
