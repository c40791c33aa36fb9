// Every YAML we emit is read by YAML 1.1 parsers (Kubernetes' sigs.k8s.io/yaml, cloud-init's
// and Ansible's PyYAML), where unquoted on/off/yes/no/y/n are booleans and 0777 is octal.
// js-yaml's compatibility mode quotes such strings, so a value never changes type on the way;
// it also writes 4-5 times faster than `yaml` (which we keep for reading specs with line numbers).
import { dump, type DumpOptions } from "js-yaml";
import { BlockYamlWriter } from "./block-yaml";

/**
 * Also used by the output writer's worker thread, which writes with its own copy of js-yaml alone
 * (the same text: blockYaml below only ever writes what js-yaml writes).
 */
export const yamlDumpOptions: DumpOptions = { lineWidth: -1, noRefs: true, noCompatMode: false };

/** Separates the documents of a multi-document file. */
export const documentSeparator = "---\n";

/** Most objects are written by blockYaml (charts/block-yaml.ts), ~4× faster; the rest by js-yaml. */
const blockYaml = new BlockYamlWriter(yamlDumpOptions);

export function yamlText(value: unknown): string {
  return blockYaml.write(value) ?? dump(value, yamlDumpOptions);
}

/** Several objects as one multi-document YAML file. */
export function yamlDocuments(values: readonly unknown[]): string {
  return values.map(yamlText).join(documentSeparator);
}
