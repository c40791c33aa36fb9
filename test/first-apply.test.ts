// The first apply and the second plan with bpg/proxmox v0.111.1: clones without efi_disk, no wait
// for the guest agent's IPs, directory storages with shared set, ZFS sparse and blocksize as the
// spec says, ASCII in every field Proxmox stores; and the `npm run check` rules that fail when a
// fix is put back. terraform-validate.test.ts runs the real `terraform validate` on the stacks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { synthTerraform } from "../infra/terraform-app";
import { vmIgnoreChanges } from "../infra/force-new";
import { checkProxmoxResources } from "../scripts/lib/check/proxmox-findings";
import { checkBackupExposure } from "../scripts/lib/check/backup-findings";
import { fixturesDir, loadFixture, overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

let counter = 0;
function stackOf(cluster: Cluster): Record<string, any> {
  const outdir = scratch(`first-apply-${process.pid}-${counter++}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  return JSON.parse(readFileSync(join(outdir, "stacks", cluster.name, "cdk.tf.json"), "utf8"));
}
const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
/** Another lab: a cloud-image template Terraform builds, another subnet, no GPU. */
const small = parseCluster(loadFixture(join(fixturesDir, "valid", "single-node.yaml")).text, "single-node.yaml");
const stacks = { reference: stackOf(reference), small: stackOf(small) };
const labVms = (stack: Record<string, any>) => Object.entries<any>(stack.resource.proxmox_virtual_environment_vm).filter(([, vm]) => !vm.template);
const file = "terraform/stacks/homelab/cdk.tf.json";

describe.each(Object.entries(stacks))("the %s lab's stack", (_lab, stack) => {
  it("clones without efi_disk, leaving the EFI disk to the template, and ignores it on VMs created before", () => {
    for (const [, vm] of labVms(stack)) {
      expect(vm.clone).toBeDefined();
      expect(vm.efi_disk).toBeUndefined();
      expect(vm.bios).toBe("ovmf");
      expect(vm.lifecycle.ignore_changes).toEqual(vmIgnoreChanges);
      expect(vm.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["efi_disk", "agent[0].wait_for_ip"]));
    }
  });

  it("does not wait for the guest agent's IPs while cloud-init installs it", () => {
    for (const [, vm] of labVms(stack)) expect(vm.agent).toMatchObject({ enabled: true, wait_for_ip: { disabled: true } });
  });

  it("sets shared on every directory storage", () => {
    for (const storage of Object.values<any>(stack.resource.proxmox_storage_directory ?? {})) expect(storage.shared).toBe(false);
  });

  it("passes the Proxmox rules of npm run check", () => {
    expect(checkProxmoxResources(file, stack)).toEqual([]);
  });
});

it("builds the cloud-image template itself with the EFI disk clones keep (the contract holds by construction)", () => {
  const template = Object.values<any>(stacks.small.resource.proxmox_virtual_environment_vm).find((vm) => vm.template);
  expect(template.efi_disk).toEqual({ datastore_id: "local-zfs", type: "4m", pre_enrolled_keys: false });
});

it("writes ZFS sparse and blocksize as the spec says, and nothing when it says nothing", () => {
  const zfs = (stack: Record<string, any>) => stack.resource.proxmox_storage_zfspool.storage_vm_storage_large;
  expect(zfs(stacks.reference)).not.toHaveProperty("thin_provision");
  expect(zfs(stacks.reference)).not.toHaveProperty("blocksize");
  const sparse = parseCluster(loadFixture(join(fixturesDir, "valid", "zfs-sparse-blocksize.yaml")).text, "sparse.yaml");
  expect(zfs(stackOf(sparse))).toMatchObject({ thin_provision: true, blocksize: "16k" });
});

it("writes thin_provision = false when the spec says sparse: false (storage.cfg's explicit `sparse 0`), so the plan stays empty (N6)", () => {
  const explicit = parseCluster(overlayReference({ "proxmox.nodes.0.datastores.2.sparse": false }), "sparse-0.yaml");
  expect(stackOf(explicit).resource.proxmox_storage_zfspool.storage_vm_storage_large.thin_provision).toBe(false);
});

describe("npm run check's backup-exposure rule (R5)", () => {
  const exposure = (stack: Record<string, any>) => checkBackupExposure(file, stack);
  const edited = (edit: (stack: any) => void) => {
    const stack = structuredClone(stacks.reference);
    edit(stack);
    return exposure(stack);
  };

  it("finds the reference lab's vzdump files inside the directory every worker mounts", () => {
    const found = exposure(stacks.reference);
    expect(found.map((f) => ({ object: f.object, rule: f.rule }))).toEqual([{ object: "proxmox_backup_job.backups_job", rule: "backup-exposure" }]);
    expect(found[0].message).toContain("/bulk-storage/dump");
    expect(found[0].message).toContain("'bulk-storage'");
    expect(found[0].message).toMatch(/k3s-worker-1/);
    expect(found[0].fix).toMatch(/outside every shared directory/);
  });

  it("finds nothing where backups go to a storage no VM shares (another lab), or the share holds no dump directory", () => {
    expect(exposure(stacks.small)).toEqual([]);
    expect(edited((s) => (s.resource.proxmox_hardware_mapping_dir.shared_bulk_storage.map[0].path = "/bulk-storage/media"))).toEqual([]);
    expect(edited((s) => (s.resource.proxmox_backup_job.backups_job.storage = "local"))).toEqual([]);
  });

  it("finds nothing when no VM uses the mapping", () => {
    expect(
      edited((s) => {
        for (const vm of Object.values<any>(s.resource.proxmox_virtual_environment_vm)) delete vm.virtiofs;
      }),
    ).toEqual([]);
  });
});

describe("npm run check's Proxmox rules fail when a fix is put back", () => {
  const edited = (edit: (stack: any) => void) => {
    const stack = structuredClone(stacks.reference);
    edit(stack);
    return checkProxmoxResources(file, stack);
  };
  const master = (stack: any) => stack.resource.proxmox_virtual_environment_vm.k3s_master_1_vm;

  it.each([
    [
      "efi_disk on a clone (item 7)",
      (s: any) => (master(s).efi_disk = { datastore_id: "vm-storage-mirrored", type: "4m", pre_enrolled_keys: false }),
      "proxmox_virtual_environment_vm.k3s_master_1_vm",
      /clones a template and sets efi_disk/,
    ],
    [
      "a directory storage without shared (item 8)",
      (s: any) => delete s.resource.proxmox_storage_directory.storage_local.shared,
      "proxmox_storage_directory.storage_local",
      /leaves shared unset, which the provider defaults to true/,
    ],
    [
      "an arrow in a directory mapping's comment (item 9)",
      (s: any) => (s.resource.proxmox_hardware_mapping_dir.shared_bulk_storage.comment = "/bulk-storage → /data in worker VMs"),
      "proxmox_hardware_mapping_dir.shared_bulk_storage",
      /^comment holds non-ASCII text \("\/bulk-storage → \/data in worker VMs"\)/,
    ],
    [
      "a dash in a VM's description (item 9)",
      (s: any) => (master(s).description = "Managed by Terraform from cluster/ — edit the spec"),
      "proxmox_virtual_environment_vm.k3s_master_1_vm",
      /^description holds non-ASCII text/,
    ],
  ])("%s", (_what, edit, object, message) => {
    const found = edited(edit as (s: any) => void);
    expect(found.map((f) => ({ object: f.object, rule: f.rule, hit: (message as RegExp).test(f.message) }))).toEqual([{ object, rule: "proxmox", hit: true }]);
    expect(found[0].fix.length).toBeGreaterThan(20);
  });

  it("ignores file contents Proxmox stores as files (user-data may hold any text)", () => {
    const found = edited((s) => {
      const snippet = Object.values<any>(s.resource.proxmox_virtual_environment_file)[0];
      snippet.source_raw.data += "# café\n";
    });
    expect(found).toEqual([]);
  });

  it("refuses non-ASCII a spec would bring in (a GPU model) before synth, naming the field", () => {
    expect(() => parseCluster(overlayReference({ "proxmox.nodes.0.gpus.0.model": "GeForce RTX 3060 – 12 GB" }), "gpu-model.yaml")).toThrow(
      /proxmox\.nodes\[0\]\.gpus\[0\]\.model: must be ASCII text/,
    );
  });
});
