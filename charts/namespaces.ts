// Namespaces of the apps in the spec, each labelled with its Pod Security Standard level
// (enforced by the API server's built-in admission).
import type { Construct } from "constructs";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Cluster } from "../cluster/schema";
import { HomelabChart } from "./homelab-chart";
import { kubeObject } from "../lib/kube-object";
import { appBackupsOf } from "../cluster/app-backups";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespacesChartProps {
  readonly cluster: Cluster;
}

export class NamespacesChart extends HomelabChart {
  constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { appName: "namespaces" });
    const enabled = props.cluster.apps.filter((a) => a.enabled);
    const backups = appBackupsOf(props.cluster);
    for (const name of [...new Set(enabled.map((a) => a.namespace))].sort())
      namespace(this, name, namespaceLevel(props.cluster, name), backups ? privilegedMovers : undefined);
  }
}

/**
 * VolSync's movers in this namespace run as root with CHOWN, DAC_OVERRIDE and FOWNER (which the
 * baseline level allows), so a backup reads every file and a restore gives each its owner back:
 * linuxserver.io apps own their /config as PUID, not as the mover's user
 * (backube/volsync@v0.16.0: internal/controller/utils/namespace.go#L47-L53, mover/restic/mover.go#L590-L600).
 */
const privilegedMovers = { "volsync.backube/privileged-movers": "true" };

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

export function namespace(scope: Construct, name: string, level: PodSecurityLevel, annotations?: Record<string, string>): k8s.KubeNamespace {
  return kubeObject(k8s.KubeNamespace, scope, `namespace-${name}`, {
    metadata: { name, labels: namespaceLabels(level), ...(annotations ? { annotations: { ...annotations } } : {}) },
  });
}
