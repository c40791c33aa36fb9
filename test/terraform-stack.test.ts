// The Proxmox stack of the reference lab, asserted against the spec (the reference lab), and how spec
// changes move the stack. terraform-validate.test.ts checks it against the real provider schema.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { accessBackend } from "../infra/access-stack";
import { renderInventory } from "../infra/ansible-inventory";
import { checkTerraformTemplates, templatesIn } from "../scripts/lib/validate/terraform-expressions";
import { synthTerraform } from "../infra/terraform-app";
import { ReadableStack } from "../infra/homelab-stack-base";
import { TerraformStack } from "cdktf";
import { fixturesDir, overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { renderTemplate } from "./helpers/terraform-template";
import { runSynth, scratch } from "./helpers/tree";

let counter = 0;

function stackOf(cluster: Cluster): Record<string, any> {
  const outdir = scratch(`tf-${process.pid}-${counter++}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  return JSON.parse(readFileSync(join(outdir, "stacks", cluster.name, "cdk.tf.json"), "utf8"));
}
const reference = () => parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const withChanges = (set: Record<string, unknown>, unset: string[] = []) => parseCluster(overlayReference(set, unset), "changed.yaml");
const vmsOf = (stack: Record<string, any>) => stack.resource.proxmox_virtual_environment_vm as Record<string, any>;
const labVms = (stack: Record<string, any>) => Object.values(vmsOf(stack)).filter((vm) => !vm.template);

describe("the reference lab's Proxmox stack", () => {
  const cluster = reference();
  const stack = stackOf(cluster);
  const vms = vmsOf(stack);

  it("pins bpg/proxmox 0.111.1 and takes credentials only from a sensitive variable or the environment", () => {
    expect(stack.terraform.required_providers.proxmox).toEqual({ source: "bpg/proxmox", version: "0.111.1" });
    expect(stack.provider.proxmox[0].api_token).toBe("${var.proxmox_api_token}");
    expect(stack.variable.proxmox_api_token).toMatchObject({ sensitive: true, default: null });
    expect(stack.provider.proxmox[0]).not.toHaveProperty("password");
  });

  it.each(cluster.vms.map((vm) => [vm.name, vm] as const))("%s has the spec's id, node, size, disk and address", (name, vm) => {
    const tf = vms[`${name.replace(/-/g, "_")}_vm`];
    expect(tf).toMatchObject({
      name,
      vm_id: vm.vmId,
      node_name: vm.node,
      cpu: { cores: vm.cores },
      memory: { dedicated: vm.memoryGiB * 1024, floating: 0 },
      initialization: { ip_config: [{ ipv4: { address: `${vm.ip}/24`, gateway: "10.10.10.1" } }] },
      clone: { vm_id: 9000, node_name: vm.node, full: true },
      on_boot: true,
      migrate: true,
      lifecycle: { ignore_changes: ["clone", "initialization[0].user_data_file_id", "efi_disk", "agent[0].wait_for_ip"] },
    });
    expect(tf.disk[0]).toMatchObject({ interface: "scsi0", datastore_id: vm.datastore, size: vm.diskGiB });
  });

  it("puts control planes on the mirrored SSDs, protected and started first; workers on the NVMe", () => {
    for (const vm of labVms(stack)) {
      const master = vm.name.startsWith("k3s-master");
      expect({ name: vm.name, datastore: vm.disk[0].datastore_id, protection: vm.protection, order: vm.startup.order }).toEqual({
        name: vm.name,
        datastore: master ? "vm-storage-mirrored" : "vm-storage-large",
        protection: master,
        order: master ? 1 : 2,
      });
    }
  });

  it("passes the RTX 3060 through to the GPU worker only, with its HDMI audio, by a PCI mapping Proxmox can verify", () => {
    const withGpu = labVms(stack).filter((vm) => vm.hostpci);
    expect(withGpu.map((vm) => vm.name)).toEqual(["k3s-worker-gpu-1"]);
    expect(withGpu[0].hostpci).toEqual([{ device: "hostpci0", mapping: "${proxmox_hardware_mapping_pci.gpu_rtx3060.name}", pcie: true, rombar: true }]);
    expect(withGpu[0].machine).toBe("q35");
    // No function in the path: every function of 47:00 (Proxmox's "All Functions"), with function 0's ids.
    const gpu = cluster.proxmox.nodes[0].gpus[0];
    expect(stack.resource.proxmox_hardware_mapping_pci.gpu_rtx3060.map).toEqual([
      { node: "pve", path: "0000:47:00", id: gpu.deviceId, subsystem_id: gpu.subsystemId, iommu_group: gpu.iommuGroup },
    ]);
  });

  it("maps a single function when allFunctions is off", () => {
    const one = stackOf(withChanges({ "proxmox.nodes.0.gpus.0.allFunctions": false }));
    expect(one.resource.proxmox_hardware_mapping_pci.gpu_rtx3060.map[0].path).toBe("0000:47:00.0");
  });

  it("shares /data and /archive into every worker and into no control plane", () => {
    for (const vm of labVms(stack)) {
      const mappings = (vm.virtiofs ?? []).map((v: { mapping: string }) => v.mapping);
      const expected = vm.name.startsWith("k3s-master")
        ? []
        : ["${proxmox_hardware_mapping_dir.shared_bulk_storage.name}", "${proxmox_hardware_mapping_dir.shared_archive_storage.name}"];
      expect({ name: vm.name, mappings }).toEqual({ name: vm.name, mappings: expected });
    }
    const dirs = stack.resource.proxmox_hardware_mapping_dir;
    expect(dirs.shared_bulk_storage.map).toEqual([{ node: "pve", path: "/bulk-storage" }]);
    expect(dirs.shared_archive_storage.map).toEqual([{ node: "pve", path: "/archive-storage" }]);
    const workerData = stack.resource.proxmox_virtual_environment_file.k3s_worker_1_user_data_file.source_raw.data;
    expect(parse(workerData).mounts).toEqual(
      expect.arrayContaining([
        ["bulk-storage", "/data", "virtiofs", "defaults,nofail", "0", "0"],
        ["archive-storage", "/archive", "virtiofs", "defaults,nofail", "0", "0"],
      ]),
    );
  });

  it("backs up every VM of the lab's pool daily to bulk-storage with the spec's retention", () => {
    expect(stack.resource.proxmox_backup_job.backups_job).toMatchObject({
      id: "homelab-daily",
      schedule: "*-*-* 02:30",
      storage: "bulk-storage",
      pool: "${proxmox_virtual_environment_pool.lab_pool.pool_id}",
      mode: "snapshot",
      prune_backups: { "keep-daily": "7", "keep-weekly": "4", "keep-monthly": "6" },
    });
    for (const vm of labVms(stack)) expect(vm.pool_id).toBe("${proxmox_virtual_environment_pool.lab_pool.pool_id}");
  });

  it("clones the reference lab's hand-made template 9000, which the plan checks exists and is a template", () => {
    expect(vms.template_pve_vm).toBeUndefined();
    expect(stack.resource.proxmox_download_file).toBeUndefined();
    expect(stack.data.proxmox_vm.template_pve_vm).toMatchObject({
      node_name: "pve",
      id: 9000,
      lifecycle: { postcondition: [{ condition: "${self.template == true}" }] },
    });
    for (const vm of labVms(stack)) {
      expect(vm.clone).toEqual({ vm_id: 9000, node_name: "pve", datastore_id: vm.disk[0].datastore_id, full: true });
      expect(vm.depends_on[0]).toBe("data.proxmox_vm.template_pve_vm");
    }
  });

  it("can build the template from a pinned cloud image instead (template.source: cloud-image)", () => {
    const image = {
      url: "https://cloud-images.ubuntu.com/releases/noble/release-20250101/ubuntu-24.04-server-cloudimg-amd64.img",
      checksum: { algorithm: "sha256", value: "a".repeat(64) },
      fileName: "noble.qcow2",
      datastore: "local",
    };
    const built = stackOf(withChanges({ template: { source: "cloud-image", vmId: 9000, datastore: "vm-storage-large", image } }));
    const template = vmsOf(built).template_pve_vm;
    expect(template).toMatchObject({ vm_id: 9000, template: true, started: false, node_name: "pve" });
    expect(template.disk[0]).toMatchObject({ datastore_id: "vm-storage-large", import_from: "${proxmox_download_file.template_pve_image.id}" });
    expect(built.resource.proxmox_download_file.template_pve_image).toMatchObject({
      content_type: "import",
      datastore_id: "local",
      url: image.url,
      checksum: image.checksum.value,
      checksum_algorithm: "sha256",
      file_name: "noble.qcow2",
    });
    expect(built.resource.proxmox_download_file.template_pve_image.depends_on).toEqual([
      "proxmox_storage_directory.storage_local",
      "proxmox_storage_zfspool.storage_vm_storage_large",
    ]);
    expect(built.data.proxmox_vm).toBeUndefined();
    expect(labVms(built)[0].depends_on[0]).toBe("proxmox_virtual_environment_vm.template_pve_vm");
  });

  it("defines the spec's storages, adopts the existing ones with import blocks, and never lets Terraform remove one", () => {
    const storages = { ...stack.resource.proxmox_storage_directory, ...stack.resource.proxmox_storage_zfspool };
    expect(Object.keys(storages).sort()).toEqual(["storage_bulk_storage", "storage_local", "storage_vm_storage_large", "storage_vm_storage_mirrored"]);
    for (const storage of Object.values<any>(storages)) expect(storage.lifecycle).toEqual({ prevent_destroy: true });
    expect(stack.resource.proxmox_storage_directory.storage_local).toMatchObject({
      id: "local",
      path: "/var/lib/vz",
      content: ["backup", "import", "iso", "snippets", "vztmpl"],
      shared: false,
    });
    expect(stack.resource.proxmox_storage_directory.storage_bulk_storage).toMatchObject({
      id: "bulk-storage",
      path: "/bulk-storage",
      content: ["backup"],
      shared: false,
    });
    expect(stack.resource.proxmox_storage_zfspool.storage_vm_storage_large).toMatchObject({
      id: "vm-storage-large",
      zfs_pool: "vm-storage-large",
      content: ["images", "rootdir"],
    });
    expect(stack.import).toEqual([
      { id: "local", to: "proxmox_storage_directory.storage_local" },
      { id: "vm-storage-mirrored", to: "proxmox_storage_zfspool.storage_vm_storage_mirrored" },
      { id: "vm-storage-large", to: "proxmox_storage_zfspool.storage_vm_storage_large" },
    ]);
    expect(stack.resource.proxmox_backup_job.backups_job.depends_on).toEqual(["proxmox_storage_directory.storage_bulk_storage"]);
  });

  it("synthesizes where no terraform is installed (cdktf's importFrom would run `terraform version`)", () => {
    // A child process: jest's process.env does not reach child_process.
    const result = runSynth(["--out", join(scratch("synth-without-terraform"), "dist")], { PATH: dirname(process.execPath), HOMELAB_NO_SNAPSHOT: "1" });
    // Synth's own warnings (the sealing certificate comes from `terraform output`) aside.
    const errors = result.stderr.split("\n").filter((line) => !line.startsWith("synth: warning: "));
    expect(errors.join("\n")).not.toMatch(/terraform|Validation failed/i);
    expect(result.status).toBe(0);
  });

  it("fails the plan unless the host runs at least the spec's Proxmox VE version", () => {
    const [check] = stack.data.proxmox_version.pve_version.lifecycle.postcondition;
    expect(check.condition).toContain(">= 8004000}");
    // terraform-validate.test.ts evaluates it with terraform console for several host versions.
  });

  it("delivers user-data as snippets, so changed user-data never replaces a running VM", () => {
    for (const vm of labVms(stack)) {
      expect(vm.initialization.user_data_file_id).toMatch(/^\$\{proxmox_virtual_environment_file\.\w+_user_data_file\.id\}$/);
      expect(vm.lifecycle.ignore_changes).toContain("initialization[0].user_data_file_id");
    }
    const files = Object.values<any>(stack.resource.proxmox_virtual_environment_file);
    for (const file of files) {
      expect(file).toMatchObject({ content_type: "snippets", datastore_id: "local" });
      expect(file.source_raw.data.startsWith("#cloud-config\n")).toBe(true);
      // As Terraform renders it at apply time: valid cloud-config YAML.
      expect(parse(renderTemplate(file.source_raw.data)).runcmd).toEqual([["/usr/local/sbin/homelab-first-boot"]]);
    }
  });

  it("writes only Terraform templates that HCL parses (every ${…} and %{…})", async () => {
    expect(templatesIn(stack).length).toBeGreaterThan(20);
    expect(await checkTerraformTemplates(stack)).toEqual([]);
  });

  it("the template check catches a malformed expression", async () => {
    expect(await checkTerraformTemplates({ resource: { x: { y: { data: 'a ${join("-", [for s in : 1])} b' } } } })).toEqual([
      expect.stringContaining("resource.x.y.data"),
    ]);
  });

  it("contains no secret values", () => {
    const text = JSON.stringify(stack);
    // No key material, no literal password or token value, no API-token UUID.
    expect(text.match(/PRIVATE KEY|"(password|api_token|token)":"(?!\$\{)[^"]*"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)).toBeNull();
  });

  it("outputs every VM's id and address", () => {
    expect(stack.output.vms.value["k3s-worker-gpu-1"]).toEqual({ vm_id: 301, node: "pve", role: "gpu-worker", ip: "10.10.10.70" });
    expect(Object.keys(stack.output.vms.value)).toHaveLength(cluster.vms.length);
  });
});

describe("changing the spec changes exactly what it should", () => {
  const before = stackOf(reference());

  it("adding a worker adds its VM and its user-data snippet, nothing else", () => {
    const cluster = reference();
    const added = { ...cluster.vms[3], name: "k3s-worker-4", vmId: 204, ip: "10.10.10.63" };
    const after = stackOf({
      ...cluster,
      proxmox: { ...cluster.proxmox, nodes: [{ ...cluster.proxmox.nodes[0], overcommit: { cpu: 3, memory: 1, disk: 1 } }] },
      vms: [...cluster.vms, added],
    });
    expect(Object.keys(vmsOf(after)).filter((k) => !(k in vmsOf(before)))).toEqual(["k3s_worker_4_vm"]);
    expect(Object.keys(after.resource.proxmox_virtual_environment_file).filter((k) => !(k in before.resource.proxmox_virtual_environment_file))).toEqual([
      "k3s_worker_4_user_data_file",
    ]);
    for (const [name, vm] of Object.entries(vmsOf(before))) expect(vmsOf(after)[name]).toEqual(vm);
    expect(after.resource.proxmox_backup_job).toEqual(before.resource.proxmox_backup_job); // the pool selects the new VM
  });

  it("moving a VM to another Proxmox node moves its VM, clone source and snippet, nothing else", () => {
    const spec = readFileSync(join(fixturesDir, "valid", "two-proxmox-nodes.yaml"), "utf8");
    const duo = parseCluster(spec, "duo.yaml");
    const moved = parseCluster(
      spec.replace(
        "vmId: 103, ip: 10.0.0.43, cores: 2, memoryGiB: 4, diskGiB: 40, datastore: tank, node: pve-a",
        "vmId: 103, ip: 10.0.0.43, cores: 2, memoryGiB: 4, diskGiB: 40, datastore: tank, node: pve-b",
      ),
      "duo.yaml",
    );
    const a = stackOf(duo);
    const b = stackOf(moved);
    const storages = ["proxmox_storage_directory.storage_local", "proxmox_storage_zfspool.storage_tank"];
    expect(vmsOf(b).cp_3_vm).toEqual({
      ...vmsOf(a).cp_3_vm,
      node_name: "pve-b",
      clone: { ...vmsOf(a).cp_3_vm.clone, vm_id: 9001, node_name: "pve-b" },
      depends_on: ["proxmox_virtual_environment_vm.template_pve_b_vm", ...storages],
    });
    // migrate: the VM moves with its disks instead of being recreated (infra/force-new.ts).
    expect(vmsOf(b).cp_3_vm.migrate).toBe(true);
    expect(b.resource.proxmox_virtual_environment_file.cp_3_user_data_file.node_name).toBe("pve-b");
    for (const name of Object.keys(vmsOf(a)).filter((n) => n !== "cp_3_vm")) expect(vmsOf(b)[name]).toEqual(vmsOf(a)[name]);
  });

  it("a two-node lab gets a template per node and maps shared directories on both", () => {
    const a = stackOf(parseCluster(readFileSync(join(fixturesDir, "valid", "two-proxmox-nodes.yaml"), "utf8"), "duo.yaml"));
    expect(Object.keys(vmsOf(a)).filter((n) => n.startsWith("template"))).toEqual(["template_pve_a_vm", "template_pve_b_vm"]);
    expect(a.resource.proxmox_hardware_mapping_dir.shared_media.map).toEqual([
      { node: "pve-a", path: "/tank/media" },
      { node: "pve-b", path: "/tank/media" },
    ]);
    expect(vmsOf(a).gpu_1_vm.network_device[0]).toMatchObject({ vlan_id: 20 });
    expect(a.terraform.backend.s3).toMatchObject({ bucket: "tfstate", key: "duo/terraform.tfstate", use_path_style: true });
  });

  it("a lab without a GPU has no PCI mapping and no passthrough", () => {
    const after = stackOf(withChanges({ "apps.0.gpu": false, "platform.nvidiaDevicePlugin.enabled": false, "proxmox.nodes.0.gpus": [] }, ["vms.8"]));
    expect(after.resource.proxmox_hardware_mapping_pci).toBeUndefined();
    expect(labVms(after).some((vm) => vm.hostpci)).toBe(false);
  });
});

describe("the access stack (proxmox.automationUser)", () => {
  const outdir = scratch(`tf-access-${process.pid}`);
  synthTerraform(reference(), { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  const access = JSON.parse(readFileSync(join(outdir, "stacks", "homelab-access", "cdk.tf.json"), "utf8"));

  it("creates the reference lab's user, its token without privilege separation and its ACL on / with the spec's role", () => {
    expect(access.resource.proxmox_virtual_environment_user.user).toMatchObject({ user_id: "ansible-user@pve", enabled: true });
    expect(access.resource.proxmox_user_token.token).toMatchObject({
      user_id: "${proxmox_virtual_environment_user.user.user_id}",
      token_name: "ansible-automation",
      privileges_separation: false,
    });
    expect(access.resource.proxmox_acl.acl).toMatchObject({
      path: "/",
      role_id: "Administrator",
      user_id: "${proxmox_virtual_environment_user.user.user_id}",
      propagate: true,
    });
    expect(access.output.lab_api_token).toMatchObject({ value: "${proxmox_user_token.token.value}", sensitive: true });
  });

  it("takes root's credentials from the environment only, and keeps its state beside the lab's", () => {
    expect(access.provider.proxmox).toEqual([{ endpoint: "https://10.10.10.10:8006/", insecure: true }]);
    expect(access.terraform.backend.local.path).toMatch(/\.terraform-state\/homelab-access\.tfstate$/);
    expect(accessBackend({ type: "s3", bucket: "b", key: "lab/terraform.tfstate", region: "r" })).toMatchObject({ key: "lab/terraform-access.tfstate" });
  });

  it("is not written when the spec names no automation user", () => {
    const dir = scratch(`tf-noaccess-${process.pid}`);
    expect(synthTerraform(withChanges({}, ["proxmox.automationUser"]), { outdir: dir, finalOutdir: join(root, "dist", "terraform"), root }).stacks).toBe(1);
  });
});

describe("Ansible inventory", () => {
  it("has the reference lab's groups, VM ids and the GPU's PCI id", () => {
    const inventory = parse(renderInventory(reference()));
    const groups = inventory.all.children.k3s_cluster.children;
    expect(Object.keys(groups.k3s_masters.hosts)).toEqual(["k3s-master-1", "k3s-master-2", "k3s-master-3"]);
    expect(Object.keys(groups.k3s_workers.hosts)).toEqual(["k3s-worker-1", "k3s-worker-2", "k3s-worker-3"]);
    expect(Object.keys(groups.k3s_vpn_workers.hosts)).toEqual(["k3s-worker-vpn-general", "k3s-worker-vpn-brazil"]);
    expect(groups.k3s_nvidia_gpu_workers.hosts["k3s-worker-gpu-1"]).toEqual({
      ansible_host: "10.10.10.70",
      vmid: 301,
      proxmox_node: "pve",
      gpu_pci_id: "47:00.0",
    });
    expect(inventory.all.children.proxmox.hosts.pve).toEqual({ ansible_host: "10.10.10.10", ansible_user: "root" });
  });
});

describe("skipping cdktf's preparing resolve pass", () => {
  it("changes nothing: the stack equals the one cdktf's own prepareStack() produces", () => {
    for (const cluster of [reference(), parseCluster(readFileSync(join(fixturesDir, "valid", "two-proxmox-nodes.yaml"), "utf8"), "two.yaml")]) {
      const ours = stackOf(cluster);
      const spy = jest.spyOn(ReadableStack.prototype, "prepareStack").mockImplementation(function (this: ReadableStack) {
        TerraformStack.prototype.prepareStack.call(this);
      });
      try {
        expect(stackOf(cluster)).toEqual(ours);
        expect(spy).toHaveBeenCalledTimes(cluster.proxmox.automationUser ? 2 : 1); // the access stack is the second
      } finally {
        spy.mockRestore();
      }
    }
  });
});
