// Builds the cdk8s charts for a spec and writes dist/k8s/<application>/manifests.yaml:
// one directory per Argo CD application, its objects in a stable order.
import { ApiObject, App } from "cdk8s";
import { join } from "node:path";
import type { Cluster } from "../cluster/schema";
import { plainMode } from "../lib/plain-mode";
import { AppChart } from "./apps/app-chart";
import { ArgocdAppsChart } from "./argocd/apps-chart";
import { appDirectories, namespacesDirectory } from "./argocd/app-directories";
import { HomelabChart, validateConstructs } from "./homelab-chart";
import { NamespacesChart } from "./namespaces";
import { PlatformComponentChart } from "./platform-chart";
import { platformComponents } from "./platform";
import { sealedSecret } from "./sealed/sealed-secret";
import { emptySealedStore, type SealedStore } from "./sealed/store";
import { sealedTargets } from "./sealed/targets";

/** Where the manifests go: synth's output writer (scripts/lib/output-writer.ts). */
export interface YamlOutput {
  /** Writes a multi-document YAML file of these objects, creating its directory. */
  writeYaml(path: string, documents: readonly unknown[]): void;
}

export interface ManifestSynthResult {
  readonly charts: number;
  readonly manifests: number;
}

function buildCharts(cluster: Cluster, sealed: SealedStore): App {
  const app = new App();
  const components = platformComponents(cluster);
  const objectNamespaces = new Set<string>();
  for (const component of components) {
    if (!PlatformComponentChart.hasObjects(component)) continue;
    const chart = new PlatformComponentChart(app, component.name, component);
    // e.g. the Argo CD route (argocd) of the gateway component, k3s's HelmCharts (kube-system).
    for (const o of chart.node.findAll())
      if (o instanceof ApiObject && o.metadata.namespace && !clusterScopedKinds.has(o.kind)) objectNamespaces.add(o.metadata.namespace);
  }
  const apps = appDirectories(cluster, components);
  new NamespacesChart(app, namespacesDirectory, { cluster });
  for (const spec of cluster.apps.filter((a) => a.enabled)) new AppChart(app, cluster, spec);
  const { waves } = new ArgocdAppsChart(app, "argocd-apps", { cluster, components, apps, platformObjectNamespaces: [...objectNamespaces] });
  addSealedSecrets(app, cluster, sealed, waves);
  return app;
}

/** Each SealedSecret into the application its target names (charts/sealed/targets.ts), out of its health where a later wave waits for it. */
function addSealedSecrets(app: App, cluster: Cluster, sealed: SealedStore, waves: ReadonlyMap<string, number>): void {
  const charts = new Map(app.node.children.filter((c): c is HomelabChart => c instanceof HomelabChart).map((c) => [c.appName, c]));
  const lastWave = Math.max(...waves.values());
  for (const target of sealedTargets(cluster)) {
    const chart = charts.get(target.renderedIn);
    if (!chart) throw new Error(`internal: no application ${target.renderedIn} renders the SealedSecret ${target.namespace}/${target.secretName}`);
    sealedSecret(chart, target, sealed, { gatesLaterWaves: waves.get(target.renderedIn)! < lastWave });
  }
}

/** The file in each application's directory: all its objects, one YAML document each. */
export const manifestsFile = "manifests.yaml";

/** The rendered objects of every application, by its directory name; SealedSecrets hold the sealed values given. */
export function renderApplications(cluster: Cluster, sealed: SealedStore = emptySealedStore): Map<string, any[]> {
  return new Map(eachApplication(cluster, sealed));
}

/** Each application's directory name and rendered objects, one chart at a time. */
export function* eachApplication(cluster: Cluster, sealed: SealedStore = emptySealedStore): Generator<[string, any[]]> {
  const app = buildCharts(cluster, sealed);
  const plain = plainMode();
  if (!plain) validateConstructs(app);
  // A speed shortcut (lib/plain-mode.ts): cdk8s' Chart.toJson() re-resolves and re-validates the
  // whole app for every chart, quadratic in the number of charts; renderObjects() renders one
  // chart's objects once, in construction order, after validateConstructs() checked the whole app
  // once and that there are no dependencies to order by.
  const charts = plain ? app.charts : app.node.children;
  for (const chart of charts.filter((c): c is HomelabChart => c instanceof HomelabChart)) {
    const objects = plain ? chart.toJson() : chart.renderObjects();
    for (const object of objects) {
      if (clusterScopedKinds.has(object.kind)) delete object.metadata.namespace;
      markCustomResource(object);
    }
    yield [chart.appName, objects];
  }
}

/**
 * Writes dist/k8s/<application>/manifests.yaml. One file per application, not per object:
 * creating thousands of small files dominated synth time on a large lab, and Argo CD and
 * reviewers read a multi-document file just as well (`npm run diff` reports per object).
 */
export function synthManifests(cluster: Cluster, outdir: string, output: YamlOutput, sealed: SealedStore = emptySealedStore): ManifestSynthResult {
  let manifests = 0;
  let charts = 0;
  // Written as each chart is rendered, so only one application's rendered objects are held at a time.
  for (const [name, objects] of eachApplication(cluster, sealed)) {
    output.writeYaml(join(outdir, name, manifestsFile), objects);
    manifests += objects.length;
    charts++;
  }
  return { charts, manifests };
}

/**
 * Kinds without a namespace. A chart's default namespace must not land on them. Built-in
 * kinds from the Kubernetes API, CRD kinds from each CRD's spec.scope (a test checks these
 * against the CRD files).
 */
export const clusterScopedKinds: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "RuntimeClass",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "IngressClass",
  "CSIDriver",
  "ClusterIssuer",
  "CiliumLoadBalancerIPPool",
  "CiliumL2AnnouncementPolicy",
  "GatewayClass",
  "VolumeSnapshotClass",
]);

/** API groups served by Kubernetes itself; every other group comes from a CRD. */
export const builtinGroups: ReadonlySet<string> = new Set([
  "",
  "apps",
  "batch",
  "policy",
  "autoscaling",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "node.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "certificates.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "apiregistration.k8s.io",
  "events.k8s.io",
]);

/**
 * Custom resources may be synced before their CRD exists (same wave, or the CRD comes with a
 * chart in the same Application): Argo CD must skip their dry run instead of failing. Works as
 * a resource annotation, not reliably as an Application sync option (argo-cd #15095).
 */
function markCustomResource(object: { apiVersion: string; metadata: { annotations?: Record<string, string> } }): void {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  if (builtinGroups.has(group)) return;
  const annotations = (object.metadata.annotations ??= {});
  const options = annotations["argocd.argoproj.io/sync-options"];
  annotations["argocd.argoproj.io/sync-options"] = options ? `${options},SkipDryRunOnMissingResource=true` : "SkipDryRunOnMissingResource=true";
}
