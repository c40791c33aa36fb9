// K3sNodeVm on its own, from flat props, as someone would use it in their own CDKTF stack.
import { Testing, TerraformStack } from "cdktf";
import { VirtualEnvironmentPool } from "../imports/providers/proxmox/virtual-environment-pool";
import { ExistingTemplate } from "../infra/existing-template";
import { K3sNodeVm, type K3sNodeVmProps } from "../lib";

function synth(props: Partial<K3sNodeVmProps> & Pick<K3sNodeVmProps, "role">, id = "node-1"): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new K3sNodeVm(stack, id, {
    vmId: 201,
    node: "pve",
    address: "10.0.0.60/24",
    gateway: "10.0.0.1",
    dns: { domain: "example.com", servers: ["10.0.0.1"] },
    cores: 4,
    memoryGiB: 8,
    diskGiB: 40,
    datastore: "fast",
    labName: "lab",
    template: new ExistingTemplate(stack, "template", { nodeName: "pve", vmId: 9000 }),
    pool: new VirtualEnvironmentPool(stack, "pool", { poolId: "lab" }),
    snippetDatastore: "local",
    userData: "#cloud-config\nhostname: node-1\n",
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}
const vmOf = (stack: any) => Object.values<any>(stack.resource.proxmox_virtual_environment_vm)[0];

describe("K3sNodeVm", () => {
  it("clones the template onto its datastore, sized and addressed by its props", () => {
    const vm = vmOf(synth({ role: "worker" }));
    expect(vm).toMatchObject({
      name: "node-1",
      node_name: "pve",
      vm_id: 201,
      clone: { vm_id: 9000, datastore_id: "fast", full: true },
      cpu: { cores: 4 },
      memory: { dedicated: 8192, floating: 0 },
    });
    expect(vm.initialization).toMatchObject({
      ip_config: [{ ipv4: { address: "10.0.0.60/24", gateway: "10.0.0.1" } }],
      dns: { domain: "example.com", servers: ["10.0.0.1"] },
    });
    expect(vm.disk).toEqual([expect.objectContaining({ interface: "scsi0", size: 40, datastore_id: "fast" })]);
    // Every key of the attribute-as-block, null when unset, as Terraform's JSON syntax wants.
    expect(vm.network_device[0]).toMatchObject({ bridge: "vmbr0", model: "virtio", vlan_id: null, mac_address: "02:00:00:00:00:C9" });
    expect(vm.lifecycle.ignore_changes).toContain("clone");
    expect(vm.protection).toBe(false);
  });

  it("protects control planes and starts them first", () => {
    expect(vmOf(synth({ role: "control-plane" }))).toMatchObject({ protection: true, startup: { order: 1 } });
  });

  it("gives workers, not control planes, their Longhorn disk", () => {
    expect(vmOf(synth({ role: "worker", dataDiskGiB: 200 })).disk).toEqual([
      expect.objectContaining({ interface: "scsi0" }),
      expect.objectContaining({ interface: "scsi1", size: 200, backup: false }),
    ]);
    expect(vmOf(synth({ role: "control-plane", dataDiskGiB: 200 })).disk).toHaveLength(1);
  });

  it("uploads its user-data as a snippet the VM boots with", () => {
    const stack = synth({ role: "worker" });
    const snippet: any = Object.values(stack.resource.proxmox_virtual_environment_file)[0];
    expect(snippet).toMatchObject({
      node_name: "pve",
      datastore_id: "local",
      content_type: "snippets",
      source_raw: { file_name: "node-1.user-data.yaml", data: "#cloud-config\nhostname: node-1\n" },
    });
    expect(vmOf(stack).initialization.user_data_file_id).toMatch(/^\$\{proxmox_virtual_environment_file\..*\.id\}$/);
  });
});
