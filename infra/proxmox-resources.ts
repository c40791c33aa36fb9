// The two bindings a lab creates by the hundred, synthesizing only the attributes that are set.
// The generated bindings return every attribute and nested-block field of their schema from
// synthesizeAttributes(), set or not: about half of a VM's values are undefined. cdktf
// resolves each of them, key and value, token checks and all, only to drop it. Dropping them
// first gives the same Terraform JSON for a quarter less of cdktf's work (README, "Performance";
// a test compares the output with the plain bindings').
import { VirtualEnvironmentFile } from "../imports/providers/proxmox/virtual-environment-file";
import { VirtualEnvironmentVm } from "../imports/providers/proxmox/virtual-environment-vm";

export class ProxmoxVm extends VirtualEnvironmentVm {
  protected synthesizeAttributes(): { [name: string]: any } {
    return withoutUndefined(super.synthesizeAttributes());
  }
}

export class ProxmoxFile extends VirtualEnvironmentFile {
  protected synthesizeAttributes(): { [name: string]: any } {
    return withoutUndefined(super.synthesizeAttributes());
  }
}

/**
 * A copy without undefined values, in plain objects and arrays only: tokens, dynamic blocks and
 * any other class instance are cdktf's to resolve and pass through as they are. cdktf's own
 * resolution skips undefined object values and array items the same way.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) if (item !== undefined) items.push(withoutUndefined(item));
    return items as T;
  }
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) result[key] = withoutUndefined(field);
  return result as T;
}
