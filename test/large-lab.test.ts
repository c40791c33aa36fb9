// The benchmark's generated large lab is a valid spec that synthesizes completely.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { yamlText } from "../lib/yaml-text";
import { parseCluster } from "../cluster/load";
import { largeLab } from "../scripts/lib/large-lab";
import { synthesize } from "../scripts/lib/synthesize";
import { readTree } from "../scripts/lib/output-tree";
import { referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";
import { writeFileSync } from "node:fs";

describe("generated large lab", () => {
  const spec = largeLab(readFileSync(referenceSpec, "utf8"));

  it("has 4 Proxmox nodes, 100 VMs and 300 apps, and passes validation", () => {
    const cluster = parseCluster(yamlText(spec), "large.yaml");
    expect(cluster.proxmox.nodes).toHaveLength(4);
    expect(cluster.vms).toHaveLength(100);
    expect(cluster.apps).toHaveLength(300);
    expect(new Set(cluster.vms.map((v) => v.role))).toEqual(new Set(["control-plane", "worker", "gpu-worker", "vpn-worker"]));
  });

  it("stays valid at the benchmark's doubled size (8 nodes, 200 VMs, 600 apps)", () => {
    const cluster = parseCluster(yamlText(largeLab(readFileSync(referenceSpec, "utf8"), { nodes: 8, vms: 200, apps: 600 })), "large-2x.yaml");
    expect([cluster.proxmox.nodes.length, cluster.vms.length, cluster.apps.length]).toEqual([8, 200, 600]);
  });

  it("synthesizes every VM and app", () => {
    const dir = scratch("large-lab");
    writeFileSync(join(dir, "large.yaml"), yamlText(spec));
    const summary = synthesize({ clusterFile: join(dir, "large.yaml"), outDir: join(dir, "dist"), root });
    const tree = readTree(join(dir, "dist"));
    const stack = JSON.parse(tree.get("terraform/stacks/large/cdk.tf.json")!);
    expect(Object.keys(stack.resource.proxmox_virtual_environment_vm)).toHaveLength(100 + 4); // VMs + a template per node
    expect([...tree.keys()].filter((k) => /^k8s\/app-\d+\/manifests\.yaml$/.test(k))).toHaveLength(300);
    expect(summary.manifests).toBeGreaterThan(300 * 7);
  });
});
