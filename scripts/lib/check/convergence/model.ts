// The model the convergence rules walk: the nodes as k3s registers them, and the units that
// create objects, in the order they run — k3s itself, the bootstrap manifests (sorted, as k3s
// applies them), then each Argo CD Application by sync wave.
import type { ComponentFacts, CrdFact, Toleration } from "../../../../charts/platform/upstream-facts";
import type { KubernetesObject } from "../../validate/kubernetes-schemas";
import type { RenderedBranch } from "../../../../charts/argocd/retry";

/** Stage of everything the first server's k3s applies before Argo CD syncs anything. */
export const bootstrapStage = Number.NEGATIVE_INFINITY;

/** A rendered object, its fields read freely (the rules know the kinds they look at). */
export type K8sObject = KubernetesObject & { readonly [key: string]: any };

/** The objects of each rendered Kubernetes file, by output path (k8s/<app>/manifests.yaml). */
export type Rendered = ReadonlyMap<string, readonly K8sObject[]>;

/** An AppProject's admission rules. */
export interface Project {
  readonly name: string;
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly { readonly namespace?: string; readonly server?: string }[];
  readonly clusterResourceWhitelist: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
}

/** The facts of one upstream source of a unit, and where they come from (for messages). */
export interface SourcedFacts {
  /** "chart cilium 1.18.2", "kubernetes-sigs/gateway-api v1.3.0 config/crd/standard". */
  readonly origin: string;
  readonly facts: ComponentFacts;
}

/** Something that creates objects: k3s, a bootstrap manifest file, or an Argo CD Application. */
export interface Unit {
  /** For messages: "bootstrap file cilium.yaml", "Application gateway (wave 2)". */
  readonly label: string;
  /** Application name, bootstrap file name, or "k3s". */
  readonly name: string;
  readonly kind: "k3s" | "bootstrap" | "application";
  /** bootstrapStage for k3s and bootstrap files, else the sync wave. */
  readonly stage: number;
  /** Position among the bootstrap files (k3s applies them in sorted order); 0 for the rest. */
  readonly order: number;
  /** The output file that defines it (for findings). */
  readonly file: string;
  /** Objects we render for it. */
  readonly objects: readonly K8sObject[];
  /** Facts of its upstream sources (charts, git paths), with the values it passes them. */
  readonly facts: readonly SourcedFacts[];
  /** CRDs it applies that are not in `facts` (downloaded files, k3s's own). */
  readonly crds: readonly CrdFact[];
  /** Application only: project, destination namespace and source repositories. */
  readonly application?: { readonly project: string; readonly namespace: string; readonly repos: readonly string[] };
  /** Application only: the Application object itself, as the root Application applies it. */
  readonly manifest?: K8sObject;
  /** Namespaces a bootstrap HelmChart creates (createNamespace). */
  readonly createsNamespaces?: readonly string[];
}

export interface Node {
  readonly name: string;
  readonly server: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  /** Allocatable millicores and bytes (the VM minus the reservation, allocatable.ts). */
  readonly cpu: number;
  readonly memory: number;
  /** Vendor of its passed-through GPU, if any. */
  readonly gpuVendor?: string;
  /** The k3s config's `server:` URL (joins), if any. */
  readonly joinUrl?: string;
  readonly lbServerPort?: number;
}

/** A pod template: ours (rendered) or a chart's (facts). */
export interface PodTemplate {
  /** Kind/namespace/name for messages. */
  readonly id: string;
  readonly file: string;
  readonly unit: Unit;
  readonly kind: "Deployment" | "DaemonSet" | "StatefulSet";
  readonly replicas: number;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly nodeAffinity?: readonly (readonly { key: string; operator: string; values?: readonly string[] }[])[];
  readonly tolerations: readonly Toleration[];
  /** cpu in millicores, memory in bytes, extended resources in units. */
  readonly requests: Readonly<Record<string, number>>;
  readonly onePerNode: boolean;
  readonly storageClasses: readonly string[];
  /** Where it came from, for the fix: "chart cilium 1.18.2" or "rendered". */
  readonly origin: string;
  readonly runtimeClassName?: string;
}

export interface World {
  readonly units: readonly Unit[];
  /** The lab's repository and rendered branch, which the Applications read our manifests from. */
  readonly renderedBranch: RenderedBranch;
  readonly nodes: readonly Node[];
  readonly projects: ReadonlyMap<string, Project>;
  /** The kube-system Service address of the API (first address of the service CIDR). */
  readonly apiServiceIp: string;
  readonly apiVip: string;
  /** The servers' k3s configs disable kube-proxy (the CNI must route Service addresses). */
  readonly kubeProxyDisabled: boolean;
}
