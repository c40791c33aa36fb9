// Every YAML we emit is read by YAML 1.1 parsers (Kubernetes' sigs.k8s.io/yaml, cloud-init's
// and Ansible's PyYAML), where unquoted on/off/yes/no/y/n are booleans and 0777 is octal.
// js-yaml's compatibility mode quotes such strings, so a value never changes type on the way.
import { dump, type DumpOptions } from "js-yaml";
import { BlockYamlWriter } from "./block-yaml";
import { plainMode } from "./plain-mode";

export const yamlDumpOptions: DumpOptions = { lineWidth: -1, noRefs: true, noCompatMode: false };

/** Separates the documents of a multi-document file. */
const documentSeparator = "---\n";

/** A speed shortcut (lib/plain-mode.ts): writes most objects itself, exactly as js-yaml would. */
const blockYaml = new BlockYamlWriter(yamlDumpOptions);

export function yamlText(value: unknown): string {
  return (plainMode() ? undefined : blockYaml.write(value)) ?? dump(value, yamlDumpOptions);
}

/** Several objects as one multi-document YAML file. */
export function yamlDocuments(values: readonly unknown[]): string {
  return values.map(yamlText).join(documentSeparator);
}
