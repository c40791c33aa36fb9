// Where an app runs and what that takes: any worker; the GPU worker with one whole NVIDIA GPU
// (its RuntimeClass, node label and taint); or a VPN worker behind a gluetun kill switch.
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { nodeLabels, nvidiaGpuScheduling, nvidiaRuntimeClass, taints, toleration } from "../../cluster/contract";
import { gluetunSidecar, tunDevice } from "./vpn-sidecar";

export type AppPlacement =
  | { readonly kind: "any" }
  /** On a GPU worker, with one whole NVIDIA GPU. */
  | { readonly kind: "gpu" }
  /** On a VPN worker (of this region, if given), every packet through gluetun's tunnel. */
  | { readonly kind: "vpn"; readonly region?: string; readonly clusterCidrs: readonly string[] };

export interface Placement {
  readonly pod: Pick<k8s.PodSpec, "runtimeClassName" | "nodeSelector" | "tolerations" | "initContainers">;
  readonly volumes: readonly k8s.Volume[];
  readonly env: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, k8s.Quantity>>;
}

/** A label selector: every matchLabels pair and every expression hold. */
export interface NodeLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
  }[];
}

/**
 * The nodes an app's pods may land on, as a node label selector: its node selector, or for an
 * app that tolerates no taint the nodes without one (cluster/contract.ts nodePlacement labels
 * every tainted role: control planes, GPU and VPN workers).
 */
export function placementNodes(placement: AppPlacement): NodeLabelSelector {
  if (placement.kind === "gpu") return { matchLabels: nvidiaGpuScheduling().nodeSelector };
  if (placement.kind === "vpn") return { matchLabels: { [nodeLabels.vpn]: "true", ...(placement.region ? { [nodeLabels.vpnRegion]: placement.region } : {}) } };
  return { matchExpressions: [nodeLabels.controlPlane, nodeLabels.gpuVendor, nodeLabels.vpn].map((key) => ({ key, operator: "DoesNotExist" as const })) };
}

export function placementOf(placement: AppPlacement, appPort: number, timeZone: string): Placement {
  if (placement.kind === "gpu") {
    return {
      pod: { runtimeClassName: nvidiaRuntimeClass, ...nvidiaGpuScheduling() },
      volumes: [],
      env: { NVIDIA_VISIBLE_DEVICES: "all", NVIDIA_DRIVER_CAPABILITIES: "compute,video,utility" },
      limits: { "nvidia.com/gpu": k8s.Quantity.fromString("1") },
    };
  }
  if (placement.kind === "vpn") {
    return {
      pod: {
        nodeSelector: placementNodes(placement).matchLabels,
        tolerations: [toleration(taints.vpn, "Equal")],
        initContainers: [gluetunSidecar({ region: placement.region, appPort, clusterCidrs: placement.clusterCidrs, timeZone })],
      },
      volumes: [tunDevice],
      env: {},
      limits: {},
    };
  }
  return { pod: {}, volumes: [], env: {}, limits: {} };
}
