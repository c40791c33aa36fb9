// Proxmox rules of `npm run check`, over a stack's Terraform JSON: what breaks the first apply or
// makes the second plan differ with bpg/proxmox v0.111.1 (github.com/bpg/terraform-provider-proxmox,
// tag v0.111.1). Each rule names its source.
import type { Finding } from "./findings";

const vmTypes = new Set(["proxmox_virtual_environment_vm"]);
const directoryStorageTypes = new Set(["proxmox_storage_directory", "proxmox_virtual_environment_storage_directory"]);
/** Strings that are file contents uploaded as files, not fields Proxmox stores in its configuration. */
const fileContents = new Set(["source_raw.data", "source_file.path"]);

export function checkProxmoxResources(file: string, stack: Record<string, any>): Finding[] {
  const findings: Finding[] = [];
  for (const [type, resources] of Object.entries<Record<string, any>>(stack.resource ?? {})) {
    if (!type.startsWith("proxmox_")) continue;
    for (const [name, resource] of Object.entries<any>(resources)) {
      const object = `${type}.${name}`;
      const add = (message: string, fix: string) => findings.push({ file, object, rule: "proxmox", message, fix });
      if (vmTypes.has(type) && resource.clone !== undefined && present(resource.efi_disk))
        // proxmoxtf/resource/vm/vm.go:2872-2930: on a clone the EFI disk is only moved, a
        // different type fails, pre_enrolled_keys is never applied; bpg#759.
        add(
          "clones a template and sets efi_disk: the provider only moves the template's EFI disk, fails when the types differ, never applies pre_enrolled_keys, and a later diff recreates it empty and reboots the VM",
          'drop efi_disk from clones and give the template the EFI disk (docs/terraform.md, "The template contract")',
        );
      if (directoryStorageTypes.has(type) && typeof resource.shared !== "boolean")
        // fwprovider/storage/resource_directory.go:60-64 (Default true), model_directory.go:66.
        add(
          "leaves shared unset, which the provider defaults to true and sends on every update: a node-local directory becomes a shared storage",
          "set shared explicitly (false for a directory on one node's disk)",
        );
      for (const { path, value } of nonAscii(resource))
        add(
          `${path} holds non-ASCII text (${JSON.stringify(value)}): Proxmox may store it differently from what was sent, so the next read differs and Terraform reports an inconsistent result`,
          "use ASCII only in names, comments and descriptions (e.g. '->' for an arrow, '-' for a dash)",
        );
    }
  }
  return findings;
}

const present = (value: unknown) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** Every string of a resource with a character outside printable ASCII (tab and newline aside). */
function nonAscii(value: unknown, path = ""): { path: string; value: string }[] {
  if (fileContents.has(path) || path === "lifecycle" || path === "depends_on") return [];
  if (typeof value === "string") return /[^\t\n\x20-\x7e]/.test(value) ? [{ path, value: firstNonAscii(value) }] : [];
  if (Array.isArray(value)) return value.flatMap((v) => nonAscii(v, path));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, v]) => nonAscii(v, path ? `${path}.${key}` : key));
  return [];
}

/** The text around the first offending character, to show where it is. */
function firstNonAscii(text: string): string {
  const at = text.search(/[^\t\n\x20-\x7e]/);
  return text.slice(Math.max(0, at - 20), at + 21);
}
