// Device plugins that expose GPUs to pods. NVIDIA: the device plugin, only on GPU workers, run
// with the `nvidia` RuntimeClass — k3s's own (infra/bootstrap/k3s-facts.ts k3sRuntimeClasses),
// whose handler is the containerd runtime k3s configures when it finds NVIDIA's container
// toolkit. AMD and Intel (configs the reference lab ships): their plugins on nodes labelled with
// that vendor. Nothing needs a plugin applied first — a pod that requests a GPU waits Pending
// until the plugin advertises it — so each goes in the last wave, with the apps.
import type { VersionProps } from "./cluster-ops";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { parse } from "yaml";
import { yamlText } from "../../lib/yaml-text";
import { helmList, helmMerge, noFacts, type NodeSelectorRequirement, type Toleration, type UpstreamFacts, type Values } from "./upstream-facts";
import { nodeLabels, nvidiaGpuScheduling, nvidiaRuntimeClass, taints, toleration } from "../../cluster/contract";

export interface NvidiaDevicePluginProps extends VersionProps {
  /** Pods that share each GPU through NVIDIA time-slicing (no memory or fault isolation). @default 1: whole GPUs */
  readonly timeSlicing?: number;
}

/**
 * The device plugin's time-slicing config: each GPU advertised `replicas` times, and a pod may
 * ask for one share only (NVIDIA/k8s-device-plugin@v0.17.0:README.md#L370-L475; the chart
 * embeds config.map as a ConfigMap and uses config.default, values.yaml#L20-L28).
 */
function timeSlicingConfig(replicas: number): Record<string, unknown> {
  const config = { version: "v1", sharing: { timeSlicing: { failRequestsGreaterThanOne: true, resources: [{ name: "nvidia.com/gpu", replicas }] } } };
  return { map: { "time-slicing": yamlText(config) }, default: "time-slicing" };
}

export function nvidiaDevicePlugin(props: NvidiaDevicePluginProps = {}): PlatformComponent {
  const shared = props.timeSlicing && props.timeSlicing > 1 ? props.timeSlicing : undefined;
  return {
    name: "nvidia-device-plugin",
    namespace: "nvidia-device-plugin",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.nvidiaDevicePlugin, props.version),
      releaseName: "nvidia-device-plugin",
      values: {
        runtimeClassName: nvidiaRuntimeClass,
        ...nvidiaGpuScheduling(),
        gfd: { enabled: false },
        ...(shared ? { config: timeSlicingConfig(shared) } : {}),
      },
    },
    facts: nvidiaDevicePluginFacts,
    summary: `exposes nvidia.com/gpu on GPU workers${shared ? `, each GPU time-sliced ${shared} ways` : " (whole GPUs)"}, run with k3s's RuntimeClass nvidia`,
  };
}

export function amdGpuPlugin(props: VersionProps = {}): PlatformComponent {
  return {
    name: "amd-gpu-plugin",
    namespace: "amd-gpu",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.amdGpuPlugin, props.version),
      releaseName: "amd-gpu",
      // amd-gpu 0.16.0 reads node_selector (merged over its NFD default, which a null removes)
      // only with node_selector_enabled; a nodeSelector key is ignored. The GPU workers' taint
      // must be tolerated besides the chart's CriticalAddonsOnly.
      values: {
        node_selector_enabled: true,
        node_selector: { "feature.node.kubernetes.io/pci-0300_1002.present": null, [nodeLabels.gpuVendor]: "amd" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, toleration(taints.gpu, "Exists")],
        labeller: { enabled: true },
      },
    },
    facts: amdGpuPluginFacts,
    summary: "exposes amd.com/gpu on nodes labelled for AMD GPUs",
  };
}

export function intelGpuPlugin(props: VersionProps = {}): PlatformComponent {
  return {
    name: "intel-gpu-plugin",
    namespace: "intel-device-plugins",
    podSecurity: "privileged",
    // Its webhook certificate is a cert-manager Certificate (templates/operator.yaml#L376-L402).
    dependsOn: ["cert-manager"],
    helm: {
      chart: chartVersion(helmCharts.intelGpuPlugin, props.version),
      releaseName: "intel-device-plugins-operator",
      // The operator is a controller and runs on any worker; the GPU plugin it deploys for a
      // GpuDevicePlugin object carries its own node selector. Pinned to the (tainted) GPU
      // worker, the operator fitted no node.
      values: {},
    },
    facts: intelGpuPluginFacts,
    summary: "Intel device plugins operator on nodes labelled for Intel GPUs",
  };
}

// Chart facts of nvidia-device-plugin 0.17.0: NVIDIA/k8s-device-plugin@v0.17.0:deployments/helm/nvidia-device-plugin/.
/** values.yaml#L63-L84: NFD's PCI label, NFD's Tegra label, or the label that forces a deployment. */
const nvidiaAffinity: NodeSelectorRequirement[][] = [
  [{ key: "feature.node.kubernetes.io/pci-10de.present", operator: "In", values: ["true"] }],
  [{ key: "feature.node.kubernetes.io/cpu-model.vendor_id", operator: "In", values: ["NVIDIA"] }],
  [{ key: "nvidia.com/gpu.present", operator: "In", values: ["true"] }],
];
/** values.yaml#L85-L92. */
const nvidiaTolerations: Toleration[] = [
  { key: "CriticalAddonsOnly", operator: "Exists" },
  { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
];

/** Time-slicing replicas of nvidia.com/gpu in the embedded config the plugin uses (README.md#L370-L475). */
function timeSlicingReplicas(values: Values): number {
  const map: Record<string, string> = values.config?.map ?? {};
  const name = values.config?.default || Object.keys(map)[0];
  const config = name && map[name] ? (parse(map[name]) as any) : undefined;
  const resource = (config?.sharing?.timeSlicing?.resources ?? []).find((r: any) => r.name === "nvidia.com/gpu");
  return resource?.replicas ?? 1;
}

export const nvidiaDevicePluginFacts: UpstreamFacts = {
  upstream: "nvidia-device-plugin",
  confirmedAt: "0.17.0",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    workloads: [
      {
        // templates/daemonset-device-plugin.yml#L252-L263: nodeSelector and affinity both apply (ANDed); a null affinity drops the default.
        kind: "DaemonSet",
        name: "nvidia-device-plugin",
        namespace,
        nodeSelector: values.nodeSelector ?? {},
        ...(values.affinity === null
          ? {}
          : {
              nodeAffinity: values.affinity?.nodeAffinity
                ? values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map((t: any) => t.matchExpressions)
                : nvidiaAffinity,
            }),
        tolerations: helmList(nvidiaTolerations, values.tolerations),
      },
    ],
    deviceResources: [{ resource: "nvidia.com/gpu", workload: "nvidia-device-plugin", gpuVendor: "nvidia", perDevice: timeSlicingReplicas(values) }],
  }),
};

// Chart facts of amd-gpu 0.16.0: the chart has no tags; ROCm/k8s-device-plugin@867afce3 set version 0.16.0 (helm/amd-gpu/).
const amdNodeSelector = { "feature.node.kubernetes.io/pci-0300_1002.present": "true", "kubernetes.io/arch": "amd64" }; // values.yaml, node_selector

export const amdGpuPluginFacts: UpstreamFacts = {
  upstream: "amd-gpu",
  confirmedAt: "0.16.0",
  of: (values: Values, { namespace }) => {
    // templates/deviceplugin-daemonset.yaml#L18-L28 and labeller.yaml#L37-L46: the selector only
    // with node_selector_enabled (default false), merged over the chart's; tolerations CriticalAddonsOnly.
    const nodeSelector = values.node_selector_enabled ? helmMerge(amdNodeSelector, values.node_selector) : {};
    const tolerations = helmList<Toleration>([{ key: "CriticalAddonsOnly", operator: "Exists" }], values.tolerations);
    const daemonSet = (name: string) => ({ kind: "DaemonSet" as const, name, namespace, nodeSelector, tolerations });
    return {
      ...noFacts,
      workloads: [daemonSet("amd-gpu-device-plugin-daemonset"), ...(values.labeller?.enabled ? [daemonSet("amd-gpu-labeller-daemonset")] : [])],
      deviceResources: [{ resource: "amd.com/gpu", workload: "amd-gpu-device-plugin-daemonset", gpuVendor: "amd", perDevice: 1 }],
    };
  },
};

// Chart facts of intel-device-plugins-operator 0.32.1: intel/helm-charts@intel-device-plugins-operator-0.32.1:charts/device-plugin-operator/.
export const intelGpuPluginFacts: UpstreamFacts = {
  upstream: "intel-device-plugins-operator",
  confirmedAt: "0.32.1",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    // templates/operator.yaml#L376-L402: its webhook certificate comes from cert-manager.
    objects: [
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", name: "inteldeviceplugins-serving-cert", namespace },
      { apiVersion: "cert-manager.io/v1", kind: "Issuer", name: "inteldeviceplugins-selfsigned-issuer", namespace },
    ],
    // crds/ ships the deviceplugin.intel.com CRDs; a GpuDevicePlugin object then runs the GPU plugin.
    crds: [{ group: "deviceplugin.intel.com", kind: "GpuDevicePlugin", versions: ["v1"] }],
    // values.yaml: nodeSelector kubernetes.io/arch amd64 (merged), no tolerations, requests 100m / 100Mi.
    workloads: [
      {
        kind: "Deployment",
        name: "inteldeviceplugins-controller-manager",
        namespace,
        nodeSelector: helmMerge({ "kubernetes.io/arch": "amd64" }, values.nodeSelector),
        tolerations: values.tolerations ?? [],
        requests: { cpu: "100m", memory: "100Mi" },
      },
    ],
  }),
};
