// A spec edit must never make bpg/proxmox replace a VM behind the operator's back: for every
// edit below, each attribute the provider replaces a VM for (infra/force-new.ts, with its source
// lines at v0.111.1) either keeps its value or is in the VM's ignore_changes. The one exception
// is by design: a new vmId for a VM is a new VM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { vmForceNewFacts, vmForceNewIgnores, vmIgnoreChanges } from "../infra/force-new";
import { synthTerraform } from "../infra/terraform-app";
import { fixturesDir, overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

let counter = 0;
const synthesized = new Map<string, Record<string, any>>();
/** The lab VMs a spec synthesizes (each distinct spec once). */
function labVmsOf(text: string): Record<string, any> {
  if (!synthesized.has(text)) synthesized.set(text, labVms(parseCluster(text, "edit.yaml")));
  return synthesized.get(text)!;
}
function labVms(cluster: Cluster): Record<string, any> {
  const outdir = scratch(`force-new-${counter++}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  const stack = JSON.parse(readFileSync(join(outdir, "stacks", cluster.name, "cdk.tf.json"), "utf8"));
  return Object.fromEntries(Object.entries<any>(stack.resource.proxmox_virtual_environment_vm).filter(([, vm]) => !vm.template));
}

/** The values at a dotted attribute path; blocks are objects or lists of objects in the JSON. */
function valuesAt(vm: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (Array.isArray(node) ? node.map((item) => item?.[key]) : (node as any)?.[key]), vm);
}

const covered = (attribute: string, ignored: readonly string[]) =>
  ignored.map((i) => i.replace(/\[\d+\]/g, "")).some((i) => attribute === i || attribute.startsWith(`${i}.`));

const reference = readFileSync(referenceSpec, "utf8");
const image = {
  url: "https://cloud-images.ubuntu.com/releases/noble/release-20250101/ubuntu-24.04-server-cloudimg-amd64.img",
  checksum: { algorithm: "sha256", value: "a".repeat(64) },
  fileName: "noble.qcow2",
  datastore: "local",
};
const duo = readFileSync(join(fixturesDir, "valid", "two-proxmox-nodes.yaml"), "utf8");
const moveCp3 = (text: string) => text.replace("datastore: tank, node: pve-a", "datastore: tank, node: pve-b");

/** Spec edits that reach the VMs: [what, spec before, spec after]. */
const edits: [string, string, string][] = [
  ["a VM's datastore (moves its disks)", reference, overlayReference({ "vms.3.datastore": "vm-storage-mirrored" })],
  ["every VM's datastore", reference, overlayReference(Object.fromEntries([0, 1, 2].map((i) => [`vms.${i}.datastore`, "vm-storage-large"])))],
  ["a VM's size", reference, overlayReference({ "vms.4.cores": 6, "vms.4.memoryGiB": 24, "vms.4.diskGiB": 120, "vms.4.dataDiskGiB": 600 })],
  ["a VM's address", reference, overlayReference({ "vms.5.ip": "10.10.10.63" })],
  ["the template's id", reference, overlayReference({ "template.vmId": 9100 })],
  ["the template's source", reference, overlayReference({ template: { source: "cloud-image", vmId: 9000, datastore: "vm-storage-large", image } })],
  [
    "the cloud image",
    overlayReference({ template: { source: "cloud-image", vmId: 9000, datastore: "vm-storage-large", image } }),
    overlayReference({
      template: {
        source: "cloud-image",
        vmId: 9000,
        datastore: "vm-storage-mirrored",
        image: { ...image, url: image.url.replace("20250101", "20250201"), checksum: { algorithm: "sha256", value: "b".repeat(64) } },
      },
    }),
  ],
  [
    "the user-data (keys, DNS, domain, k3s)",
    reference,
    overlayReference({
      "ssh.authorizedKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFbyb0nQ2hT9h7VyKxYdBz7m6b1hUx4cX0bJq6bq3n2d other@host"],
      "network.dns": ["1.1.1.1"],
      "k3s.version": "v1.33.6+k3s1",
    }),
  ],
  ["the network (bridge, VLAN)", reference, overlayReference({ "network.bridge": "vmbr1", "network.vlanId": 20 })],
  ["the resource pool and the snippet storage", reference, overlayReference({ "proxmox.pool": "lab2" })],
  [
    "the GPU's identity",
    reference,
    overlayReference({ "proxmox.nodes.0.gpus.0.deviceId": "10de:2504", "proxmox.nodes.0.gpus.0.iommuGroup": 40, "proxmox.nodes.0.gpus.0.allFunctions": false }),
  ],
  ["a VM's Proxmox node (migrates it)", duo, moveCp3(duo)],
  ["a VM's id (a new VM, by design)", reference, overlayReference({ "vms.6.vmId": 207 })],
];

describe("no spec edit replaces a VM through a ForceNew attribute", () => {
  it("lists each fact with its source in bpg v0.111.1, and ignores exactly the facts marked ignored", () => {
    for (const fact of vmForceNewFacts) expect(fact.source).toMatch(/^proxmoxtf\/resource\/vm\/(vm|disk\/schema)\.go:\d+/);
    const ignored = vmForceNewFacts.filter((f) => f.handling === "ignored").map((f) => f.attribute);
    for (const attribute of ignored) expect({ attribute, covered: covered(attribute, vmForceNewIgnores) }).toEqual({ attribute, covered: true });
    for (const entry of vmForceNewIgnores) expect(ignored.some((a) => covered(a, [entry]))).toBe(true);
  });

  it.each(edits)("%s", (what, before, after) => {
    const a = labVmsOf(before);
    const b = labVmsOf(after);
    const changed: string[] = [];
    for (const [name, vm] of Object.entries(b)) {
      if (!a[name]) continue;
      expect(vm.migrate).toBe(true); // node_name is ForceNew only without it
      expect(vm.lifecycle.ignore_changes).toEqual(vmIgnoreChanges);
      for (const fact of vmForceNewFacts) {
        if (JSON.stringify(valuesAt(a[name], fact.attribute)) === JSON.stringify(valuesAt(vm, fact.attribute))) continue;
        if (fact.handling === "migrate" || covered(fact.attribute, vm.lifecycle.ignore_changes)) continue;
        changed.push(`${name}.${fact.attribute} (${fact.source})`);
      }
    }
    expect(changed).toEqual(
      what.includes("a VM's id") ? ["k3s_worker_vpn_general_vm.vm_id (proxmoxtf/resource/vm/vm.go:1767-1779 (ForceNewIf on change))"] : [],
    );
  });

  it("the edits do change what they should, so the comparison can fail", () => {
    const a = labVmsOf(reference);
    const b = labVmsOf(overlayReference({ "template.vmId": 9100 }));
    expect([a.k3s_master_1_vm.clone.vm_id, b.k3s_master_1_vm.clone.vm_id]).toEqual([9000, 9100]);
    const moved = labVmsOf(overlayReference({ "vms.3.datastore": "vm-storage-mirrored" }));
    expect(moved.k3s_worker_1_vm.clone.datastore_id).toBe("vm-storage-mirrored");
    expect(moved.k3s_worker_1_vm.disk.map((d: any) => d.datastore_id)).toEqual(["vm-storage-mirrored", "vm-storage-mirrored"]);
  });
});
