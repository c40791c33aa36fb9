// Every YAML we emit is read by YAML 1.1 parsers (Kubernetes' sigs.k8s.io/yaml, cloud-init's
// and Ansible's PyYAML), where unquoted on/off/yes/no/y/n are booleans and 0777 is octal.
// Writing YAML 1.1 quotes such strings, so a value never changes type on the way.
import { stringify } from "yaml";

export function yamlText(value: unknown): string {
  return stringify(value, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}
