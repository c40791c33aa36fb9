// What an upstream chart or manifest set does that our own manifests cannot show: the
// namespaces and objects it creates outside its release namespace, the CRDs it ships or its
// controllers register at run time, where its pods may run, and what its controllers need
// when they start. Argo CD renders the charts, so nothing here can be read from dist/; each
// component declares these facts next to its values, read from the upstream source at one
// version (`confirmedAt`), each fact with the upstream file it comes from. A test fails when
// versions.ts moves and the facts are not re-read; `npm run check` uses them to walk the
// first boot and the first sync (scripts/lib/check/convergence/).

/** Helm values as the Application (or the bootstrap HelmChart) passes them. */
export type Values = Record<string, any>;

/** An object by kind and name; no namespace = cluster-scoped. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A CustomResourceDefinition: its group, kind and the versions it serves. */
export interface CrdFact {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly string[];
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: "Exists" | "Equal";
  readonly value?: string;
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  readonly values?: readonly string[];
}

/** Where a pod template may run, and what it asks for. */
export interface WorkloadFact {
  readonly kind: "Deployment" | "DaemonSet" | "StatefulSet";
  readonly name: string;
  readonly namespace: string;
  /** @default 1 (ignored for DaemonSets) */
  readonly replicas?: number;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** requiredDuringScheduling node affinity: any one term, every requirement of it. */
  readonly nodeAffinity?: readonly (readonly NodeSelectorRequirement[])[];
  readonly tolerations: readonly Toleration[];
  /** Resource requests of the whole pod (cpu, memory, extended resources). @default none */
  readonly requests?: Readonly<Record<string, string>>;
  /** Required pod anti-affinity per host: at most one replica per node. */
  readonly onePerNode?: boolean;
  /** The component does its job only once this runs (a CNI's agent and operator). */
  readonly critical?: boolean;
  /** Created by the component's controller at run time, not rendered by the chart. */
  readonly runtime?: boolean;
  /** Needs these Secrets (in its namespace) to start. */
  readonly secrets?: readonly string[];
  /** Mounts a volume of this StorageClass. */
  readonly volumeStorageClass?: string;
}

/** How a component's pods reach the Kubernetes API, when it is not the in-cluster Service. */
export interface ApiEndpoint {
  readonly host: string;
  readonly port: number;
}

/** An extended resource a node agent advertises on the nodes it runs on. */
export interface DeviceResource {
  readonly resource: string;
  /** The DaemonSet that advertises it. */
  readonly workload: string;
  /** Only on nodes with a GPU of this vendor (from the spec). */
  readonly gpuVendor: string;
  /** Schedulable units per physical GPU (time-slicing replicas). */
  readonly perDevice: number;
}

/** Volumes of a StorageClass attach only on nodes where these workloads run. */
export interface NodePlugin {
  readonly storageClass: string;
  readonly workloads: readonly string[];
}

/** A controller that reads its CRDs once, when it starts, and stays off if one is missing. */
export interface StartRequirement {
  readonly controller: string;
  readonly crds: readonly CrdFact[];
  /** What stays broken without them, for the message. */
  readonly effect: string;
}

/** A Service a chart renders that our own objects name (a route's backend). */
export interface ServiceFact {
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly number[];
}

/** A GatewayClass whose Gateways this component programs. */
export interface GatewayController {
  readonly gatewayClass: string;
  /** The start requirement of this controller, by its name (startRequires). */
  readonly controller: string;
}

export interface ComponentFacts {
  /** Namespace objects it creates (besides the release namespace we render). */
  readonly namespaces: readonly string[];
  /** Objects that admission and references care about: outside the release namespace, cluster-scoped, or referenced by others. */
  readonly objects: readonly ObjectRef[];
  /** CRDs it applies itself. */
  readonly crds: readonly CrdFact[];
  /**
   * Custom resources its running controller turns into a Secret of the same namespace and name
   * (SealedSecret): that Secret exists once both the object and the controller are there.
   */
  readonly secretsFrom: readonly CrdFact[];
  /** CRDs and objects its running controllers create. */
  readonly runtimeCrds: readonly CrdFact[];
  readonly runtimeObjects: readonly ObjectRef[];
  readonly workloads: readonly WorkloadFact[];
  readonly startRequires: readonly StartRequirement[];
  readonly gatewayControllers: readonly GatewayController[];
  /** Where its pods reach the API server. @default the in-cluster Service */
  readonly apiEndpoint?: ApiEndpoint;
  /** It routes Service ClusterIPs (kube-proxy replacement). */
  readonly servesClusterIps?: boolean;
  readonly deviceResources: readonly DeviceResource[];
  readonly nodePlugins: readonly NodePlugin[];
  /** Services our own objects reference (HTTPRoute backends), with their ports. @default none */
  readonly services?: readonly ServiceFact[];
}

/** A git source of an Application: the path and, for a Directory source, the files it includes. */
export interface GitSourceView {
  readonly path: string;
  readonly include?: string;
}

export interface FactContext {
  /** The release (or destination) namespace. */
  readonly namespace: string;
  readonly gitSources: readonly GitSourceView[];
}

export interface UpstreamFacts {
  /** Chart name, or the upstream repository of a git source. */
  readonly upstream: string;
  /** The version the facts were read at. */
  readonly confirmedAt: string;
  /** What it creates and needs with these values. */
  readonly of: (values: Values, context: FactContext) => ComponentFacts;
}

/** Facts with every list empty, to spread the few a component has over. */
export const noFacts: ComponentFacts = {
  namespaces: [],
  objects: [],
  crds: [],
  secretsFrom: [],
  runtimeCrds: [],
  runtimeObjects: [],
  workloads: [],
  startRequires: [],
  gatewayControllers: [],
  deviceResources: [],
  nodePlugins: [],
};

/** The nodeSelector most charts default to. */
export const linuxNodes: Readonly<Record<string, string>> = { "kubernetes.io/os": "linux" };

/** A toleration with no key and operator Exists: tolerates every taint. */
export const tolerateAll: readonly Toleration[] = [{ operator: "Exists" }];

/** A Role and its RoleBinding of one name in one namespace, as charts pair them. */
export function roleAndBinding(name: string, namespace: string): ObjectRef[] {
  return ["Role", "RoleBinding"].map((kind) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind, name, namespace }));
}

/** Helm's coalescing of a map value over the chart default: a null deletes the default key. */
export function helmMerge(defaults: Readonly<Record<string, string>>, value: Record<string, string | null> | undefined): Record<string, string> {
  const merged: Record<string, string | null> = { ...defaults, ...(value ?? {}) };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== null));
}

/** A list value replaces the chart default unless unset (Helm does not merge lists). */
export function helmList<T>(defaults: readonly T[], value: readonly T[] | null | undefined): readonly T[] {
  return value === undefined ? defaults : (value ?? []);
}
