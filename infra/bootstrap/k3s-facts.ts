// What k3s itself provides on its nodes, for the convergence check (npm run check) and the boot
// order (docs/boot-order.md). k3s-io/k3s was too large to read at v1.33.5+k3s1: these come from
// stored copies of its source and from maintainer statements of the v1.33.5 time frame (not
// pinned); each says where.
import { linuxNodes, type CrdFact, type Toleration, type WorkloadFact } from "../../charts/platform/upstream-facts";

/**
 * Local listeners of the API on a node, by role. Servers: the supervisor with the API proxy on
 * 6443 (HTTPSPort) and the kube-apiserver itself on 6444 (APIServerPort = HTTPSPort + 1, bound
 * to loopback; pkg/daemons/control/server.go defaults(); brandond on k3s-io/k3s#12947). Agents:
 * the client load balancer on 127.0.0.1:6444 (--lb-server-port, pkg/cli/cmds/agent.go;
 * pkg/agent/loadbalancer/loadbalancer.go listens on 127.0.0.1), which fails over between servers.
 * The serving certificate always includes 127.0.0.1 (pkg/cli/server/server.go SANs).
 */
export const k3sLocalApiPorts = { server: [6443, 6444], agent: [6444] } as const;
export const k3sLoopbackHosts: ReadonlySet<string> = new Set(["127.0.0.1", "localhost"]);

/** Labels k3s puts on every node and on servers (k3s docs, "Node Labels and Taints"; not pinned). */
export function k3sNodeLabels(name: string, server: boolean): Record<string, string> {
  const base = { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" };
  if (!server) return base;
  return { ...base, "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true", "node-role.kubernetes.io/etcd": "true" };
}

/** Namespaces that exist as soon as the API server runs. */
export const k3sNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

/** CRDs k3s registers itself: the HelmChart controller's (k3s-io/helm-controller, embedded). */
export const k3sCrds: readonly CrdFact[] = [
  { group: "helm.cattle.io", kind: "HelmChart", versions: ["v1"] },
  { group: "helm.cattle.io", kind: "HelmChartConfig", versions: ["v1"] },
];

/**
 * k3s's packaged CoreDNS (manifests/coredns.yaml, stored copy at commit 66c487bd, not pinned):
 * tolerates CriticalAddonsOnly and the control-plane taints, linux nodes, requests 100m / 70Mi.
 */
const corednsTolerations: readonly Toleration[] = [
  { key: "CriticalAddonsOnly", operator: "Exists" },
  { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
  { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
];
export const k3sCoredns: WorkloadFact = {
  kind: "Deployment",
  name: "coredns",
  namespace: "kube-system",
  nodeSelector: linuxNodes,
  tolerations: corednsTolerations,
  requests: { cpu: "100m", memory: "70Mi" },
};

/**
 * RuntimeClasses k3s applies itself, from its packaged manifests/runtimes.yaml (stored copy at
 * commit c77d0b85, not pinned), unless `disable: [runtimes]`: one per runtime its agents detect,
 * `nvidia` (handler nvidia) among them, harmless where a node lacks the runtime. Added by
 * k3s-io/k3s#8936 (Nov 2023, issue #8700) and backported to 1.25-1.28 (#9013, #9014, #9024), so
 * k3s v1.33.5 has them; a fresh k3s lists them (NVIDIA/dcgm-exporter#291). A GPU pod naming
 * `nvidia` is therefore admitted before any Application syncs, and waits Pending for
 * nvidia.com/gpu until the device plugin advertises it.
 */
export const k3sRuntimeClasses = ["nvidia", "nvidia-experimental", "crun", "lunatic", "slight", "spin", "wws", "wasmedge", "wasmer", "wasmtime"] as const;

/** The `disable:` items that remove what this file says k3s provides. */
export const k3sDisableItems = { coredns: "coredns", runtimes: "runtimes" } as const;

// How k3s applies /var/lib/rancher/k3s/server/manifests (pkg/deploy/controller.go, stored copy
// 43bde46d, and the docs' "Managing Packaged Components"; not pinned): every file at start-up in
// sorted order, then each file again when its mtime changes; a failed file is retried every 15 s.
// A file X.yaml.skip beside X.yaml makes k3s ignore X.yaml; `--disable X` deletes X's objects.
export const k3sManifestsDir = "/var/lib/rancher/k3s/server/manifests";

/**
 * k3s applies each file as one Addon through rancher/wrangler's apply (v3.2.3 in the go.mod of
 * the stored v1.33 branch, v1.33.7; not pinned to v1.33.5) with the kinds the file held before
 * (pkg/deploy/controller.go deploy(), k3s-io/k3s#5560): what an earlier version of the file
 * created and the new one lacks is deleted — a Namespace with everything in it — unless it
 * carries this label (wrangler v3.2.3 pkg/apply/desiredset_process.go#L407-L430).
 */
export const k3sNeverPruneLabel = { "objectset.rio.cattle.io/prune": "false" } as const;
