// The cluster contract: what the spec means for the names that tie the two halves together.
// The Proxmox side boots nodes with labels and taints (infra/bootstrap/k3s-config.ts) and
// delivers Secrets at first boot; the Kubernetes side places workloads by those labels,
// tolerates those taints and references those Secrets (charts/). Both import this module and
// neither imports the other's names.
import type { Cluster, Gpu, Vm } from "./schema";

export const nodeLabels = {
  /** GPU vendor of a gpu-worker's passed-through GPU: nvidia, amd or intel. */
  gpuVendor: "homelab.dev/gpu-vendor",
  /**
   * The NVIDIA device plugin chart's "force a deployment here" label, one of the three terms of
   * its default node affinity; the other two come from Node Feature Discovery, which we do not
   * run (NVIDIA/k8s-device-plugin@v0.17.0:deployments/helm/nvidia-device-plugin/values.yaml#L63-L84).
   */
  nvidiaGpuPresent: "nvidia.com/gpu.present",
  vpn: "homelab.dev/vpn",
  vpnRegion: "homelab.dev/vpn-region",
  /** Longhorn creates its default disk only on nodes labelled so (createDefaultDiskLabeledNodes). */
  longhornDisk: "node.longhorn.io/create-default-disk",
  /** Set by k3s on servers. */
  controlPlane: "node-role.kubernetes.io/control-plane",
  /**
   * The k3s release a node was installed with ("+" written as "-", k3sVersionLabel). The
   * upgrade Plans pass over a node already at their version: the controller selects every node
   * without the Plan's own hash label, whatever it runs (rancher/system-upgrade-controller@v0.14.2:
   * pkg/upgrade/plan/plan.go#L170-L227), and would cordon or drain each one during the first sync.
   */
  k3sVersion: "homelab.dev/k3s-version",
} as const;

/** A k3s release as a label value: "+" is not allowed there (the controller's MungeVersion does the same, plan.go#L112-L114). */
export function k3sVersionLabel(version: string): string {
  return version.replaceAll("+", "-");
}

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

/**
 * A toleration of one of our taints: Exists tolerates any value of its key and effect, Equal only
 * its value.
 */
export function toleration(taint: Taint, operator: "Exists" | "Equal"): { key: string; operator: "Exists" | "Equal"; value?: string; effect: Taint["effect"] } {
  return operator === "Exists" ? { key: taint.key, operator, effect: taint.effect } : { key: taint.key, operator, value: taint.value, effect: taint.effect };
}

/** A taint as kubectl, k3s' node-taint and Longhorn's taint-toleration write it: key=value:Effect, or key:Effect. */
export function taintText(taint: { readonly key: string; readonly value?: string; readonly effect: string }): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`;
}

/** The inverse of taintText: "key=value:Effect" or "key:Effect" (no value). */
export function parseTaint(text: string): { key: string; value: string | undefined; effect: string } {
  const [keyValue, effect] = text.split(":");
  const [key, value] = keyValue.split("=");
  return { key, value, effect };
}

/** Secrets workloads reference: the bootstrap delivers the repository's, the rest are sealed (charts/sealed/). */
export const secretNames = {
  /** Sealed as CLOUDFLARE_API_TOKEN by cert-manager and external-dns, one Secret in each namespace. */
  cloudflare: { name: "cloudflare-api-token", key: "api-token", sealedAs: "CLOUDFLARE_API_TOKEN" },
  /** Grafana's admin login (the chart's own keys, grafana/helm-charts@grafana-8.5.5:charts/grafana/values.yaml#L446-L450). */
  grafanaAdmin: { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password", sealedAs: "GRAFANA_ADMIN_PASSWORD" },
  /** Argo CD's credentials for a private rendered repository (label argocd.argoproj.io/secret-type: repository). */
  gitopsRepository: { name: "rendered-repository" },
} as const;

/**
 * The sealing key pair: Terraform generates it, the first server's user-data delivers it as this
 * Secret (infra/bootstrap/secret-manifests.ts), and the sealed-secrets controller in this
 * namespace uses it instead of generating its own, because it carries the active-key label
 * (bitnami-labs/sealed-secrets@v0.36.6: pkg/controller/keys.go#L20-L21, main.go#L31-L34, #L69-L97).
 */
export const sealingKey = {
  namespace: "sealed-secrets",
  name: "sealed-secrets-key",
  activeLabel: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" },
} as const;

/** The gluetun credentials of one VPN region, in each namespace that runs a VPN app. */
export function vpnSecretName(region: string | undefined): string {
  return `vpn-${region ?? "default"}`;
}

/** The Secret with an app's secretEnv values, in the app's namespace (sealed: cluster/sealed/<app>.yaml). */
export function appSecretName(app: string): string {
  return `${app}-secrets`;
}

export const namespaces = { argocd: "argocd", gateway: "gateway" } as const;

/** The public DNS zone records and DNS-01 challenges go into: network.dnsZone, else the domain itself. */
export function dnsZoneOf(cluster: Cluster): string {
  return cluster.network.dnsZone ?? cluster.domain;
}

/** Where HTTPRoutes attach: the shared Gateway's namespace, name and listeners. */
export const sharedGateway = { namespace: namespaces.gateway, name: "homelab", httpsListener: "https", httpListener: "http" } as const;

export const storageClassName = "longhorn";

/**
 * A LoadBalancer Service announced by an L2 policy of its own carries this label, with the
 * policy's name as its value; the lab's general policy passes over every Service that has it.
 */
export const l2AnnouncementLabel = "homelab.dev/l2-announcement";

/** The L2 announcement policy of an app's direct-access Service. */
export function directAccessPolicyName(namespace: string, app: string): string {
  return `direct-${namespace}-${app}`;
}
/** k3s's own RuntimeClass for NVIDIA's container runtime (infra/bootstrap/k3s-facts.ts k3sRuntimeClasses). */
export const nvidiaRuntimeClass = "nvidia";

/** Where a pod that needs an NVIDIA GPU may run: on a GPU worker with an NVIDIA GPU, tolerating its taint. */
export function nvidiaGpuScheduling(): { nodeSelector: Record<string, string>; tolerations: ReturnType<typeof toleration>[] } {
  return { nodeSelector: { [nodeLabels.gpuVendor]: "nvidia" }, tolerations: [toleration(taints.gpu, "Exists")] };
}

/** The roles that run workloads: they get the shared directories and the Longhorn disk. */
export const workerRoles: ReadonlySet<Vm["role"]> = new Set(["worker", "vpn-worker", "gpu-worker"]);

/** Workers with a data disk give it to Longhorn (a size of 0, which the spec refuses, is no disk). */
export function hasLonghornDisk(role: Vm["role"], dataDiskGiB: number | undefined): boolean {
  return workerRoles.has(role) && !!dataDiskGiB;
}

/** What a node is registered with: its labels and taints, from its role and hardware in the spec. */
export interface NodePlacement {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** The GPU passed through to a VM, by its cluster-wide mapping name (vm.gpu). */
export function gpuOf(cluster: Cluster, vm: Vm): Gpu | undefined {
  return cluster.proxmox.nodes.flatMap((n) => n.gpus).find((g) => g.name === vm.gpu);
}

export function nodePlacement(cluster: Cluster, vm: Vm): NodePlacement {
  const labels: Record<string, string> = { [nodeLabels.k3sVersion]: k3sVersionLabel(cluster.k3s.version) };
  const nodeTaints: Taint[] = [];
  if (vm.role === "control-plane") nodeTaints.push(taints.controlPlane);
  if (hasLonghornDisk(vm.role, vm.dataDiskGiB)) labels[nodeLabels.longhornDisk] = "true";
  if (vm.role === "gpu-worker") {
    const vendor = gpuOf(cluster, vm)?.vendor;
    if (vendor) labels[nodeLabels.gpuVendor] = vendor;
    if (vendor === "nvidia") labels[nodeLabels.nvidiaGpuPresent] = "true";
    nodeTaints.push(taints.gpu);
  }
  if (vm.role === "vpn-worker") {
    labels[nodeLabels.vpn] = "true";
    if (vm.vpnRegion) labels[nodeLabels.vpnRegion] = vm.vpnRegion;
    nodeTaints.push(taints.vpn);
  }
  return { labels, taints: nodeTaints };
}
