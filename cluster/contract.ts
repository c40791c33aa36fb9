// The cluster contract: what the spec means for the names that tie the two halves together.
// The Proxmox side boots nodes with labels and taints (infra/bootstrap/k3s-config.ts) and
// delivers Secrets at first boot; the Kubernetes side places workloads by those labels,
// tolerates those taints and references those Secrets (charts/). Both import this module and
// neither imports the other's names.
import type { Cluster, Vm } from "./schema";

export const nodeLabels = {
  /** GPU vendor of a gpu-worker's passed-through GPU: nvidia, amd or intel. */
  gpuVendor: "homelab.dev/gpu-vendor",
  /** The NVIDIA device plugin chart's own "this node has an NVIDIA GPU" label (its default affinity). */
  nvidiaGpuPresent: "nvidia.com/gpu.present",
  vpn: "homelab.dev/vpn",
  vpnRegion: "homelab.dev/vpn-region",
  /** Longhorn creates its default disk only on nodes labelled so (createDefaultDiskLabeledNodes). */
  longhornDisk: "node.longhorn.io/create-default-disk",
  /** Set by k3s on servers. */
  controlPlane: "node-role.kubernetes.io/control-plane",
} as const;

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export const taints = {
  gpu: { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
  vpn: { key: "homelab.dev/vpn", value: "true", effect: "NoSchedule" },
  /** Keeps workloads off the control planes; k3s' own add-ons and our bootstrap tolerate it. */
  controlPlane: { key: "CriticalAddonsOnly", value: "true", effect: "NoExecute" },
} as const satisfies Record<string, Taint>;

/** Secrets the bootstrap delivers and workloads reference. */
export const bootstrapSecretNames = {
  cloudflare: { name: "cloudflare-api-token", key: "api-token" },
} as const;

/** The gluetun credentials of one VPN region, in each namespace that runs a VPN app. */
export function vpnSecretName(region: string | undefined): string {
  return `vpn-${region ?? "default"}`;
}

/** The Secret with an app's secretEnv values, in the app's namespace (var.app_secrets). */
export function appSecretName(app: string): string {
  return `${app}-secrets`;
}

export const namespaces = { argocd: "argocd", gateway: "gateway" } as const;

/** Where HTTPRoutes attach: the shared Gateway's namespace, name and listeners. */
export const sharedGateway = { namespace: namespaces.gateway, name: "homelab", httpsListener: "https", httpListener: "http" } as const;

export const storageClassName = "longhorn";
export const nvidiaRuntimeClass = "nvidia";

/** The roles that run workloads: they get the shared directories and the Longhorn disk. */
export const workerRoles: ReadonlySet<Vm["role"]> = new Set(["worker", "vpn-worker", "gpu-worker"]);

/** What a node is registered with: its labels and taints, from its role and hardware in the spec. */
export interface NodePlacement {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

export function nodePlacement(cluster: Cluster, vm: Vm): NodePlacement {
  const labels: Record<string, string> = {};
  const nodeTaints: Taint[] = [];
  if (vm.role === "control-plane") nodeTaints.push(taints.controlPlane);
  if (vm.dataDiskGiB !== undefined && workerRoles.has(vm.role)) labels[nodeLabels.longhornDisk] = "true";
  if (vm.role === "gpu-worker") {
    const vendor = cluster.proxmox.nodes.flatMap((n) => n.gpus).find((g) => g.name === vm.gpu)?.vendor;
    if (vendor) labels[nodeLabels.gpuVendor] = vendor;
    nodeTaints.push(taints.gpu);
  }
  if (vm.role === "vpn-worker") {
    labels[nodeLabels.vpn] = "true";
    if (vm.vpnRegion) labels[nodeLabels.vpnRegion] = vm.vpnRegion;
    nodeTaints.push(taints.vpn);
  }
  return { labels, taints: nodeTaints };
}
