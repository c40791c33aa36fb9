// Namespaces of the apps in the spec, each labelled with its Pod Security Standard level
// (enforced by the API server's built-in admission).
import type { Construct } from "constructs";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Cluster } from "../cluster/schema";
import { HomelabChart } from "./homelab-chart";
import { kubeObject } from "../lib/kube-object";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespacesChartProps {
  readonly cluster: Cluster;
}

export class NamespacesChart extends HomelabChart {
  constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { appName: "namespaces" });
    const enabled = props.cluster.apps.filter((a) => a.enabled);
    for (const name of [...new Set(enabled.map((a) => a.namespace))].sort()) namespace(this, name, namespaceLevel(props.cluster, name));
  }
}

/**
 * The level of an app namespace. linuxserver.io images start as root and drop to PUID/PGID:
 * baseline, not restricted. A VPN app's gluetun sidecar needs NET_ADMIN and /dev/net/tun, which
 * only privileged allows.
 */
export function namespaceLevel(cluster: Cluster, name: string): PodSecurityLevel {
  return cluster.apps.some((a) => a.enabled && a.vpn && a.namespace === name) ? "privileged" : "baseline";
}

/** The labels of every namespace we render: ours, and its Pod Security level enforced, audited and warned. */
export function namespaceLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "homelab-synth",
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}

export function namespace(scope: Construct, name: string, level: PodSecurityLevel): k8s.KubeNamespace {
  return kubeObject(k8s.KubeNamespace, scope, `namespace-${name}`, {
    metadata: { name, labels: namespaceLabels(level) },
  });
}
