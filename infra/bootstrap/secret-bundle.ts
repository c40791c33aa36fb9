// The bootstrap's Secrets that Terraform renders at apply time (VPN credentials, app secrets):
// their Namespaces first, then the Secrets, as one base64 multi-document YAML in a Terraform
// expression (HCL). Only names from the validated spec go into it, never a value.

export interface BundledNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

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

export function secretBundleExpression(namespaces: readonly BundledNamespace[], secrets: readonly BundledSecret[]): string {
  const documents = [
    ...namespaces.map((ns) => `yamlencode({apiVersion = "v1", kind = "Namespace", metadata = {name = "${ns.name}", labels = ${hclMap(ns.labels)}}})`),
    ...secrets.map(
      (s) =>
        `yamlencode({apiVersion = "v1", kind = "Secret", type = "Opaque", metadata = {name = "${s.name}", namespace = "${s.namespace}"}, stringData = ${s.stringData}})`,
    ),
  ];
  return `\${base64encode(join("---\\n", [${documents.join(", ")}]))}`;
}
