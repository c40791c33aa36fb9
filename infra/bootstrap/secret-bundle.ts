// The bootstrap's Secrets that Terraform renders at apply time (VPN credentials, app secrets):
// their Namespaces first, then the Secrets, as one base64 multi-document YAML in a Terraform
// expression (HCL). Only names from the validated spec go into it, never a value.
import type { Cluster } from "../../cluster/schema";
import { namespaceLabels, namespaceLevel } from "../../charts/namespaces";

export interface BundledSecret {
  readonly name: string;
  readonly namespace: string;
  /** The HCL expression of the Secret's stringData. */
  readonly stringData: string;
}

const hclMap = (entries: Readonly<Record<string, string>>) =>
  `{${Object.entries(entries)
    .map(([key, value]) => `"${key}" = "${value}"`)
    .join(", ")}}`;

/** The Secrets, and before them their Namespaces with the labels of Argo CD's copies (charts/namespaces.ts): both owners agree. */
export function secretBundleExpression(cluster: Cluster, secrets: readonly BundledSecret[]): string {
  const namespaces = [...new Set(secrets.map((s) => s.namespace))];
  const documents = [
    ...namespaces.map(
      (name) =>
        `yamlencode({apiVersion = "v1", kind = "Namespace", metadata = {name = "${name}", labels = ${hclMap(namespaceLabels(namespaceLevel(cluster, name)))}}})`,
    ),
    ...secrets.map(
      (s) =>
        `yamlencode({apiVersion = "v1", kind = "Secret", type = "Opaque", metadata = {name = "${s.name}", namespace = "${s.namespace}"}, stringData = ${s.stringData}})`,
    ),
  ];
  return `\${base64encode(join("---\\n", [${documents.join(", ")}]))}`;
}
