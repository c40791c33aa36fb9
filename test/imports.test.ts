// imports/ is generated only: regenerating must reproduce it exactly, and what it is
// generated from must agree with cdktf.json and with the provider's documented shapes.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { providerConstraint, proxmoxSchema } from "../infra/provider-schema";
import { root } from "./helpers/spec-fixture";

describe("imports/", () => {
  it("is exactly what `npm run import` generates (bindings and schema file)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts", "run.cjs"), "scripts/import.ts", "--check"], { cwd: root, encoding: "utf8" });
    expect(result.stderr).not.toContain("stale");
    expect(result.stdout).toContain("imports/: up to date");
    expect(result.status).toBe(0);
  });

  it("records the provider constraint that cdktf.json declares", () => {
    const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
    expect(cdktf.terraformProviders).toEqual([providerConstraint]);
    expect(cdktf.codeMakerOutput).toBe("imports");
    const provider = readFileSync(join(root, "imports/providers/proxmox/provider/index.ts"), "utf8");
    expect(provider).toContain("providerVersion: '0.111.1'");
    expect(provider).toContain("providerVersionConstraint: '= 0.111.1'");
  });

  it("declares single SDK blocks as lists of at most one and repeatable ones without a maximum", () => {
    const vm = proxmoxSchema.provider_schemas["registry.terraform.io/bpg/proxmox"].resource_schemas.proxmox_virtual_environment_vm.block;
    for (const single of ["agent", "clone", "cpu", "memory", "initialization", "efi_disk", "startup", "operating_system"]) {
      expect({ single, ...vm.block_types![single] }).toMatchObject({ single, nesting_mode: "list", max_items: 1 });
    }
    for (const repeated of ["disk", "network_device", "hostpci", "virtiofs", "usb", "numa", "serial_device"]) {
      expect({ repeated, max: vm.block_types![repeated].max_items }).toEqual({ repeated, max: undefined });
    }
    expect(vm.attributes!.node_name).toMatchObject({ type: "string", required: true });
    expect(vm.block_types!.initialization.block.block_types!.user_account.block.attributes!.password.sensitive).toBe(true);
  });

  it("marks every provider credential sensitive and nothing required (all can come from PROXMOX_VE_*)", () => {
    const provider = proxmoxSchema.provider_schemas["registry.terraform.io/bpg/proxmox"].provider.block;
    for (const secret of ["api_token", "password", "auth_ticket", "csrf_prevention_token"]) expect(provider.attributes![secret].sensitive).toBe(true);
    expect(Object.values(provider.attributes!).filter((a) => a.required)).toEqual([]);
  });
});
