// A platform component: what Argo CD installs and in which order. Each becomes one Argo CD
// Application (project "platform") whose sources are a pinned Helm chart rendered by Argo CD
// with values from our code, an upstream git path, and/or our own typed objects rendered
// into dist/k8s/<name>/ (its Namespace first).
import type { HomelabChart } from "../homelab-chart";
import type { PodSecurityLevel } from "../namespaces";
import type { GitRef, HelmChartRef } from "./versions";
import type { ComponentFacts, UpstreamFacts } from "./upstream-facts";

export interface PlatformComponent {
  /** Argo CD application name and directory under dist/k8s. */
  readonly name: string;
  /** Where its objects go; created by the component unless it is kube-system. */
  readonly namespace: string;
  readonly podSecurity: PodSecurityLevel;
  /** Components that must be synced and healthy first (they become earlier sync waves). */
  readonly dependsOn: readonly string[];
  readonly helm?: { readonly chart: HelmChartRef; readonly releaseName: string; readonly values: Record<string, unknown> };
  /** An upstream git path: a Directory (with an include) or a Kustomization (with image overrides, `kustomize edit set image`). */
  readonly git?: GitRef & { readonly include?: string; readonly images?: readonly string[] };
  /** More upstream git paths of the same repository and version (e.g. one experimental CRD). */
  readonly extraGitPaths?: readonly { readonly path: string; readonly include?: string }[];
  /** What its upstream chart or manifests create and need (every component with helm or git has them). */
  readonly facts?: UpstreamFacts;
  /** Adds our own objects of this component to its chart. */
  readonly manifests?: (chart: HomelabChart) => void;
  /** The upstream source creates the namespace itself; we must not render a second one. */
  readonly upstreamCreatesNamespace?: boolean;
  /** Differences Argo CD must not act on (values a chart generates per render); sets RespectIgnoreDifferences. */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
  /**
   * Secrets it reads that the lab delivers sealed (charts/sealed/): each becomes a SealedSecret in
   * its namespace, its values sealed with `npm run seal -- <component name> <NAME>`. A component
   * with any depends on the sealed-secrets controller.
   */
  readonly sealedSecrets?: readonly ComponentSealedSecret[];
  /** Server-side apply: for CRDs too large for client-side apply's last-applied annotation. */
  readonly serverSideApply?: boolean;
  /** One line for the README table: what it is configured for. */
  readonly summary: string;
}

/** A value one seals, by the NAME `npm run seal` takes, and the key it gets in the Secret. */
export interface SealedValueName {
  readonly name: string;
  readonly key: string;
}

/** A Secret of a component that the lab delivers sealed. */
export interface ComponentSealedSecret {
  /** The Secret's name, in the component's namespace. */
  readonly name: string;
  readonly values: readonly SealedValueName[];
  /** Keys that are no secret (a user name), set in plain text. @default none */
  readonly plain?: Readonly<Record<string, string>>;
}

export interface IgnoredDifference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
}

/** The version actually deployed: the spec's override, else the pinned one. */
export function chartVersion(pinned: HelmChartRef, override?: string): HelmChartRef {
  return override ? { ...pinned, version: override } : pinned;
}

export const systemNamespaces: ReadonlySet<string> = new Set(["kube-system"]);

/** The upstream facts of a component with the values and sources it is deployed with. */
export function factsOf(component: PlatformComponent): ComponentFacts | undefined {
  const gitSources = component.git ? [{ path: component.git.path, include: component.git.include }, ...(component.extraGitPaths ?? [])] : [];
  return component.facts?.of(component.helm?.values ?? {}, { namespace: component.namespace, gitSources });
}
