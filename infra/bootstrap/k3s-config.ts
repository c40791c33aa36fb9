// /etc/rancher/k3s/config.yaml per node. The first control plane initialises embedded etcd;
// every other node joins through the floating API VIP. Labels and taints per role decide
// where workloads land (GPU and VPN workers take only workloads that ask for them).
import type { Cluster, Vm } from "../../cluster/schema";
import { gpuNodeLabel, gpuTaint } from "../../charts/platform/gpu-plugins";
import { longhornDiskLabel } from "../../charts/platform/longhorn";
import { k3sToken } from "./secrets";

export const vpnNodeLabel = "homelab.dev/vpn";
export const vpnRegionLabel = "homelab.dev/vpn-region";
export const vpnTaint = { key: "homelab.dev/vpn", value: "true", effect: "NoSchedule" } as const;

/** The control plane that runs `cluster-init` and carries the auto-deploy manifests. */
export function firstServer(cluster: Cluster): Vm {
  return cluster.vms.find((v) => v.role === "control-plane")!;
}

export function k3sConfig(cluster: Cluster, vm: Vm): Record<string, unknown> {
  const apiUrl = `https://${cluster.network.apiVip}:6443`;
  const labels: string[] = [];
  const taints: string[] = [];
  if (vm.dataDiskGiB !== undefined && vm.role !== "control-plane") labels.push(`${longhornDiskLabel}=true`);
  if (vm.role === "gpu-worker") {
    const vendor = cluster.proxmox.nodes.flatMap((n) => n.gpus).find((g) => g.name === vm.gpu)!.vendor;
    labels.push(`${gpuNodeLabel}=${vendor}`);
    taints.push(`${gpuTaint.key}=true:${gpuTaint.effect}`);
  }
  if (vm.role === "vpn-worker") {
    labels.push(`${vpnNodeLabel}=true`);
    if (vm.vpnRegion) labels.push(`${vpnRegionLabel}=${vm.vpnRegion}`);
    taints.push(`${vpnTaint.key}=${vpnTaint.value}:${vpnTaint.effect}`);
  }
  const common = {
    token: k3sToken.placeholder,
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
    // Workloads stay off the control planes; Cilium, kube-vip and CoreDNS tolerate this.
    "node-taint": ["CriticalAddonsOnly=true:NoExecute"],
    "tls-san": [cluster.network.apiVip, `api.${cluster.domain}`, vm.ip, `${vm.name}.${cluster.domain}`],
    "cluster-cidr": cluster.k3s.clusterCidr,
    "service-cidr": cluster.k3s.serviceCidr,
    "flannel-backend": "none",
    "disable-network-policy": true,
    "disable-kube-proxy": true,
    // Cilium replaces flannel, kube-proxy, servicelb and the network policy controller; the
    // Gateway replaces Traefik; Longhorn replaces local-path; metrics-server comes from its chart.
    disable: ["traefik", "servicelb", "local-storage", "metrics-server"],
    "secrets-encryption": true,
    "write-kubeconfig-mode": "0600",
    "etcd-snapshot-schedule-cron": "0 */6 * * *",
    "etcd-snapshot-retention": 28,
    "embedded-registry": true,
  };
}
