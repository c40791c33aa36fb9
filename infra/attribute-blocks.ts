// SDK "attributes as blocks" (ConfigMode: SchemaConfigModeAttr in a provider's Go source, such as
// the VM's network_device in bpg/proxmox proxmoxtf/resource/vm/network/schema.go) are attributes
// of type list(object) in the provider schema. In JSON syntax Terraform converts such a value to
// the object type, so every object needs every key, null when unset (hashicorp/terraform#23347);
// HCL's block syntax hides this. The generated binding drops unset keys, so the complete objects
// go in as an override, built by the binding's own converter: its keys are the schema's.

/** Each item as its Terraform object with every key of the type, null where unset. */
export function withEveryKey<T>(toTerraform: (item: T) => Record<string, unknown>, items: readonly T[]): Record<string, unknown>[] {
  return items.map((item) => Object.fromEntries(Object.entries(toTerraform(item)).map(([key, value]) => [key, value === undefined ? null : value])));
}
