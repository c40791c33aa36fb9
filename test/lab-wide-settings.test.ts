// A lab-wide setting reaches every place it configures: the lab's time zone is kured's reboot
// window's unless kured names its own and every node's, and the lab's name is its Proxmox
// resource pool's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import { synthTerraform } from "../infra/terraform-app";
import { renderUserData } from "../infra/user-data";
import { parse as parseYaml } from "yaml";
import { platformComponent } from "../charts/platform";
import { overlayReference, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const lab = (set: Record<string, unknown>, unset: string[] = []) => parseCluster(overlayReference(set, unset), "lab.yaml");
const kuredZone = (cluster: ReturnType<typeof lab>) => (platformComponent(cluster, "kured")?.helm?.values as any).configuration.timeZone;

it("kured reboots in the lab's time zone unless it names its own", () => {
  expect(kuredZone(lab({ timeZone: "Europe/Berlin" }, ["platform.kured.timeZone"]))).toBe("Europe/Berlin");
  expect(kuredZone(lab({ timeZone: "Europe/Berlin", "platform.kured.timeZone": "America/Sao_Paulo" }))).toBe("America/Sao_Paulo");
});

it("the Proxmox resource pool is the lab's name unless the spec names one", () => {
  const poolOf = (cluster: ReturnType<typeof lab>) => {
    const outdir = scratch(`lab-wide-${cluster.name}`);
    synthTerraform(cluster, { outdir, finalOutdir: join(outdir, "final"), root });
    const stack = JSON.parse(readFileSync(join(outdir, "stacks", cluster.name, "cdk.tf.json"), "utf8"));
    return Object.values<any>(stack.resource.proxmox_virtual_environment_pool)[0].pool_id;
  };
  expect(poolOf(lab({ name: "basement" }, ["proxmox.pool"]))).toBe("basement");
  expect(poolOf(lab({ name: "attic", "proxmox.pool": "vms" }))).toBe("vms");
});

it("every node's cloud-init sets the lab's time zone", () => {
  const cluster = lab({ timeZone: "America/Sao_Paulo" });
  for (const vm of cluster.vms) expect(parseYaml(renderUserData(cluster, vm))).toMatchObject({ timezone: "America/Sao_Paulo" });
});
