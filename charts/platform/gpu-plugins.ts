// Device plugins that expose GPUs to pods. NVIDIA: the device plugin with a `nvidia`
// RuntimeClass (the containerd runtime bootstrap configures), only on GPU workers. AMD and
// Intel (seed 000's apps/system configs): their plugins on nodes labelled with that vendor.
import type { Cluster } from "../../cluster/schema";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

/** Node labels and taint bootstrap puts on GPU workers. */
export const gpuNodeLabel = "homelab.dev/gpu-vendor";
export const gpuTaint = { key: "nvidia.com/gpu", effect: "NoSchedule" } as const;

export function nvidiaDevicePlugin(cluster: Cluster): PlatformComponent {
  return {
    name: "nvidia-device-plugin",
    namespace: "nvidia-device-plugin",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.nvidiaDevicePlugin, cluster.platform.nvidiaDevicePlugin.version),
      releaseName: "nvidia-device-plugin",
      values: {
        runtimeClassName: "nvidia",
        nodeSelector: { [gpuNodeLabel]: "nvidia" },
        tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }],
        gfd: { enabled: false },
      },
    },
    summary: "exposes nvidia.com/gpu on GPU workers; RuntimeClass nvidia",
    manifests: (chart) => {
      new k8s.KubeRuntimeClass(chart, "runtime-class", {
        metadata: { name: "nvidia" },
        handler: "nvidia",
        scheduling: {
          nodeSelector: { [gpuNodeLabel]: "nvidia" },
          tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }],
        },
      });
    },
  };
}

export function amdGpuPlugin(cluster: Cluster): PlatformComponent {
  return {
    name: "amd-gpu-plugin",
    namespace: "amd-gpu",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.amdGpuPlugin, cluster.platform.amdGpuPlugin.version),
      releaseName: "amd-gpu",
      values: { nodeSelector: { [gpuNodeLabel]: "amd" }, labeller: { enabled: true } },
    },
    summary: "exposes amd.com/gpu on nodes labelled for AMD GPUs",
  };
}

export function intelGpuPlugin(cluster: Cluster): PlatformComponent {
  return {
    name: "intel-gpu-plugin",
    namespace: "intel-device-plugins",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.intelGpuPlugin, cluster.platform.intelGpuPlugin.version),
      releaseName: "intel-device-plugins-operator",
      values: { nodeSelector: { [gpuNodeLabel]: "intel" } },
    },
    summary: "Intel device plugins operator on nodes labelled for Intel GPUs",
  };
}
