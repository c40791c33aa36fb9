// Day-2 k3s upgrades: cloud-init installs k3s once, so running nodes are upgraded by the
// system-upgrade-controller instead. Its Plans carry k3s.version from the spec: bump it, synth,
// publish — control planes upgrade one at a time (cordoned), then the workers (drained), each
// plan waiting for the servers first. No VM is touched. A node already at the version (every
// node at first boot, a node rebuilt since) is left alone: no cordon, no drain.
import { ApiObject, type Chart } from "cdk8s";
import type { PlatformComponent } from "./component";
import { gitSources, images } from "./versions";
import { k3sVersionLabel, nodeLabels } from "../../cluster/contract";
import { noFacts, tolerateAll, type UpstreamFacts } from "./upstream-facts";

const namespace = "system-upgrade";

export interface SystemUpgradeProps {
  /** The k3s release every node is moved to, e.g. v1.33.5+k3s1. */
  readonly k3sVersion: string;
  /** Controller version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function systemUpgrade(props: SystemUpgradeProps): PlatformComponent {
  const version = props.version ?? gitSources.systemUpgradeController.version;
  return {
    name: "system-upgrade",
    namespace,
    podSecurity: "privileged", // upgrade jobs run with the host's namespaces and root filesystem
    dependsOn: [],
    // The tag's Kustomization, with the controller image of the pinned release (versions.ts).
    git: { ...gitSources.systemUpgradeController, version, images: [images.systemUpgradeController] },
    upstreamCreatesNamespace: true, // its manifests start with the system-upgrade Namespace
    facts: systemUpgradeFacts,
    summary: `system-upgrade-controller ${version}; Plans move every node to k3s ${props.k3sVersion}, servers first, one node at a time`,
    manifests: (chart) => {
      // The controller selects every node matching the selector that lacks the Plan's hash label
      // (rancher/system-upgrade-controller@v0.14.2: pkg/upgrade/plan/plan.go#L170-L227), whatever
      // it runs: without the version requirement each node would be cordoned or drained once
      // during the first sync. Nodes register with the release they were installed with.
      const notYetAt = { key: nodeLabels.k3sVersion, operator: "NotIn", values: [k3sVersionLabel(props.k3sVersion)] };
      // Control planes one at a time, cordoned; then the workers, drained, after the servers.
      upgradePlan(chart, props.k3sVersion, "server-plan", {
        cordon: true,
        nodeSelector: { matchExpressions: [{ key: nodeLabels.controlPlane, operator: "In", values: ["true"] }, notYetAt] },
      });
      upgradePlan(chart, props.k3sVersion, "agent-plan", {
        drain: { force: true, skipWaitForDeleteTimeout: 60 },
        nodeSelector: { matchExpressions: [{ key: nodeLabels.controlPlane, operator: "DoesNotExist" }, notYetAt] },
        prepare: { image: images.k3sUpgrade, args: ["prepare", "server-plan"] },
      });
    },
  };
}

/** A k3s upgrade Plan to the spec's version; no Plan CRD is available offline, so a plain object (listed by npm run check). */
function upgradePlan(chart: Chart, k3sVersion: string, name: string, spec: Record<string, unknown>): void {
  new ApiObject(chart, name, {
    apiVersion: "upgrade.cattle.io/v1",
    kind: "Plan",
    // After the controller, which registers the Plan CRD when it starts: applied together, the
    // first sync would fail on the missing kind and wait for a retry.
    metadata: { name, annotations: { "argocd.argoproj.io/sync-wave": "1" } },
    spec: {
      concurrency: 1,
      ...spec,
      version: k3sVersion,
      serviceAccountName: "system-upgrade",
      // Control planes carry CriticalAddonsOnly, GPU and VPN workers their own taints: tolerate all.
      tolerations: tolerateAll,
      upgrade: { image: images.k3sUpgrade },
    },
  });
}

// Facts of rancher/system-upgrade-controller@v0.14.2: kustomization.yaml (namespace
// system-upgrade, resources manifests/*.yaml; its image tag is replaced by images.systemUpgradeController).
export const systemUpgradeFacts: UpstreamFacts = {
  upstream: "rancher/system-upgrade-controller",
  confirmedAt: "v0.14.2",
  of: () => ({
    ...noFacts,
    namespaces: [namespace], // system-upgrade-controller.yaml#L1-L4
    // The controller registers the Plan CRD itself when it starts.
    runtimeCrds: [{ group: "upgrade.cattle.io", kind: "Plan", versions: ["v1"] }],
    workloads: [
      {
        // system-upgrade-controller.yaml#L44-L67: control planes only, tolerating their taints.
        kind: "Deployment",
        name: "system-upgrade-controller",
        namespace,
        nodeAffinity: [[{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }]],
        tolerations: [
          { key: "CriticalAddonsOnly", operator: "Exists" },
          ...["master", "controlplane", "control-plane"].map((role) => ({
            key: `node-role.kubernetes.io/${role}`,
            operator: "Exists" as const,
            effect: "NoSchedule" as const,
          })),
          { key: "node-role.kubernetes.io/etcd", operator: "Exists", effect: "NoExecute" },
        ],
      },
    ],
  }),
};
