// Device plugins that expose GPUs to pods. NVIDIA: the device plugin with a `nvidia`
// RuntimeClass (the containerd runtime bootstrap configures), only on GPU workers. AMD and
// Intel (seed 000's apps/system configs): their plugins on nodes labelled with that vendor.
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { VersionProps } from "./cluster-ops";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { nodeLabels, nvidiaRuntimeClass, taints } from "../../cluster/contract";

export function nvidiaDevicePlugin(props: VersionProps = {}): PlatformComponent {
  return {
    name: "nvidia-device-plugin",
    namespace: "nvidia-device-plugin",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.nvidiaDevicePlugin, props.version),
      releaseName: "nvidia-device-plugin",
      values: {
        runtimeClassName: "nvidia",
        nodeSelector: { [nodeLabels.gpuVendor]: "nvidia" },
        tolerations: [{ key: taints.gpu.key, operator: "Exists", effect: taints.gpu.effect }],
        gfd: { enabled: false },
      },
    },
    summary: "exposes nvidia.com/gpu on GPU workers; RuntimeClass nvidia",
    manifests: (chart) => {
      new k8s.KubeRuntimeClass(chart, "runtime-class", {
        metadata: { name: nvidiaRuntimeClass },
        handler: "nvidia",
        scheduling: {
          nodeSelector: { [nodeLabels.gpuVendor]: "nvidia" },
          tolerations: [{ key: taints.gpu.key, operator: "Exists", effect: taints.gpu.effect }],
        },
      });
    },
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
      values: { nodeSelector: { [nodeLabels.gpuVendor]: "amd" }, labeller: { enabled: true } },
    },
    summary: "exposes amd.com/gpu on nodes labelled for AMD GPUs",
  };
}

export function intelGpuPlugin(props: VersionProps = {}): PlatformComponent {
  return {
    name: "intel-gpu-plugin",
    namespace: "intel-device-plugins",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.intelGpuPlugin, props.version),
      releaseName: "intel-device-plugins-operator",
      values: { nodeSelector: { [nodeLabels.gpuVendor]: "intel" } },
    },
    summary: "Intel device plugins operator on nodes labelled for Intel GPUs",
  };
}
