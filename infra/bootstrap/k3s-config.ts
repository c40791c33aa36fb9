// /etc/rancher/k3s/config.yaml per node. The first control plane initialises embedded etcd;
// every other node joins through the floating API VIP. Labels and taints per role decide
// where workloads land (GPU and VPN workers take only workloads that ask for them).
import type { Cluster, Vm } from "../../cluster/schema";
import { nodePlacement, taintText } from "../../cluster/contract";
import { k3sAgentToken, k3sToken } from "./secrets";

/** Where k3s reads its configuration by default (every node's write_files puts it there). */
export const k3sConfigPath = "/etc/rancher/k3s/config.yaml";

/** The control plane that runs `cluster-init` and carries the auto-deploy manifests. */
export function firstServer(cluster: Cluster): Vm {
  return cluster.vms.find((v) => v.role === "control-plane")!;
}

export function k3sConfig(cluster: Cluster, vm: Vm): Record<string, unknown> {
  const apiUrl = `https://${cluster.network.apiVip}:6443`;
  const placement = nodePlacement(cluster, vm);
  const labels = Object.entries(placement.labels).map(([key, value]) => `${key}=${value}`);
  const taints = placement.taints.map(taintText);
  // Agents join with the agent token only; servers carry the server token and accept the agent
  // token (k3s `agent-token`, "Shared secret used to join agents to the cluster, but not
  // servers": k3s-io/k3s pkg/cli/cmds/server.go @005499a9; the server's "node" user takes it as
  // password when set: pkg/daemons/control/deps/deps.go getNodePass @73047b24; set it on every
  // server: k3s-io/docs docs/cli/token.md "Agent" @01f91e0b). Read at those commits, not at the
  // pinned tag; docs.k3s.io/cli/server documents the flag for current releases.
  const server = vm.role === "control-plane";
  const common = {
    token: server ? k3sToken.placeholder : k3sAgentToken.placeholder,
    ...(server ? { "agent-token": k3sAgentToken.placeholder } : {}),
    "node-name": vm.name,
    "node-ip": vm.ip,
    ...(labels.length ? { "node-label": labels } : {}),
    ...(taints.length ? { "node-taint": taints } : {}),
    "kubelet-arg": ["max-pods=150"],
  };
  if (vm.role !== "control-plane") return { server: apiUrl, ...common };

  const first = firstServer(cluster).name === vm.name;
  return {
    ...(first ? { "cluster-init": true } : { server: apiUrl }),
    ...common,
    "tls-san": [cluster.network.apiVip, `api.${cluster.domain}`, vm.ip, `${vm.name}.${cluster.domain}`],
    "cluster-cidr": cluster.k3s.clusterCidr,
    "service-cidr": cluster.k3s.serviceCidr,
    "flannel-backend": "none",
    "disable-network-policy": true,
    "disable-kube-proxy": true,
    // Cilium replaces flannel, kube-proxy, servicelb and the network policy controller; the
    // Gateway replaces Traefik; Longhorn replaces local-path; metrics-server comes from its chart.
    // CoreDNS too when the spec turns it off (platform.coredns).
    disable: ["traefik", "servicelb", "local-storage", "metrics-server", ...(cluster.platform.coredns.enabled ? [] : ["coredns"])],
    "secrets-encryption": true,
    "write-kubeconfig-mode": "0600",
    "etcd-snapshot-schedule-cron": "0 */6 * * *",
    "etcd-snapshot-retention": 28,
    "embedded-registry": true,
  };
}
