// The nodes as k3s registers them: labels and taints from each node's rendered k3s config (the
// same file cloud-init writes), the labels k3s adds itself, and the allocatable share of the
// VM's size from the spec.
import { readYaml as parse } from "../../read-yaml";
import type { Cluster } from "../../../../cluster/schema";
import { gpuOf, parseTaint } from "../../../../cluster/contract";
import { k3sNodeLabels } from "../../../../infra/bootstrap/k3s-facts";
import { allocatable } from "./allocatable";
import type { Node } from "./model";
import { bootLines, type UserData } from "./read-bootstrap";

const k3sConfigPath = "/etc/rancher/k3s/config.yaml";

export interface K3sConfig {
  readonly [key: string]: any;
}

/** A node's k3s config and whether cloud-init installs it as a server. */
export interface NodeConfig {
  readonly config: K3sConfig;
  readonly server: boolean;
}

/** Each node's k3s config, as cloud-init writes it. */
export function k3sConfigs(userData: readonly UserData[]): NodeConfig[] {
  return userData.flatMap((u) => {
    const file = (u.config.write_files ?? []).find((f) => f.path === k3sConfigPath);
    if (!file) return [];
    const install = bootLines(u).find((c) => c.includes("INSTALL_K3S_EXEC="));
    return [{ config: parse(file.content) ?? {}, server: /INSTALL_K3S_EXEC='server'/.test(install ?? "") }];
  });
}

export function readNodes(configs: readonly NodeConfig[], cluster: Cluster): Node[] {
  return configs.map(({ config, server }) => {
    const name: string = config["node-name"];
    const vm = cluster.vms.find((v) => v.name === name);
    const labels = Object.fromEntries((config["node-label"] ?? []).map((l: string) => l.split("=") as [string, string]));
    const taints = (config["node-taint"] ?? []).map(parseTaint);
    const size = allocatable(server, vm?.cores ?? 0, vm?.memoryGiB ?? 0);
    const gpuVendor = vm && gpuOf(cluster, vm)?.vendor;
    return {
      name,
      server,
      labels: { ...k3sNodeLabels(name, server), ...labels },
      taints,
      ...size,
      ...(gpuVendor ? { gpuVendor } : {}),
      ...(config.server ? { joinUrl: config.server } : {}),
      ...(config["lb-server-port"] ? { lbServerPort: Number(config["lb-server-port"]) } : {}),
    };
  });
}
