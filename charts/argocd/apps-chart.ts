// dist/k8s/argocd-apps: what the root Application syncs — the AppProjects, one Application
// per platform component and per app directory, and the root Application itself (so it is
// managed from git too). Waves: projects, then platform components in dependency order,
// then the app namespaces and apps.
import type { Construct } from "constructs";
import { Application, type ApplicationSpecSources } from "../../imports/argocd-application-argoproj.io";
import type { Cluster } from "../../cluster/schema";
import { HomelabChart } from "../homelab-chart";
import { PlatformComponentChart } from "../platform-chart";
import { factsOf, type PlatformComponent } from "../platform/component";
import { homelabApplication, syncWaveAnnotation } from "./application";
import { projects } from "./projects";
import { appsDirectory, renderedBranchOf, rootApplicationName, rootApplicationSpec } from "./root-application";
import { syncWaves } from "./waves";
import type { AppDirectory } from "./app-directories";
import { namespaces } from "../../cluster/contract";
import { appBackupsOf } from "../../cluster/app-backups";

export type { AppDirectory } from "./app-directories";

export interface ArgocdAppsChartProps {
  readonly cluster: Cluster;
  readonly components: readonly PlatformComponent[];
  readonly apps: readonly AppDirectory[];
  /** Namespaces the platform components' own objects are in (beyond their release namespaces). */
  readonly platformObjectNamespaces?: readonly string[];
}

export class ArgocdAppsChart extends HomelabChart {
  /** Sync wave of every Application, by name (for docs and tests). */
  readonly waves: ReadonlyMap<string, number>;

  constructor(scope: Construct, id: string, props: ArgocdAppsChartProps) {
    super(scope, id, { appName: appsDirectory, namespace: namespaces.argocd });
    const { cluster, components, apps } = props;
    const rendered = renderedSource(cluster);
    const renderedBranch = renderedBranchOf(cluster);

    this.waves = syncWaves([...components, ...apps]);

    const helmRepos = components.flatMap((c) => [c.helm?.chart.repoURL, c.git?.repoURL]).filter((r): r is string => !!r);
    projects(this, {
      renderedRepo: cluster.gitops.repoUrl,
      platformRepos: [...new Set(helmRepos)],
      platformNamespaces: platformNamespaces(components, props.platformObjectNamespaces),
      appNamespaces: [...new Set(apps.map((a) => a.namespace))].sort(),
      wave: -1,
    });

    for (const component of components) {
      homelabApplication(this, {
        name: component.name,
        project: "platform",
        namespace: component.namespace,
        sources: componentSources(component, rendered),
        renderedBranch,
        wave: this.waves.get(component.name)!,
        serverSideApply: component.serverSideApply,
        ignoreDifferences: component.ignoreDifferences?.map((d) => ({
          ...d,
          jsonPointers: d.jsonPointers && [...d.jsonPointers],
          jqPathExpressions: d.jqPathExpressions && [...d.jqPathExpressions],
        })),
      });
    }
    const restoreFields = appBackupsOf(cluster) ? appRestoreDifferences : undefined;
    for (const app of apps) {
      homelabApplication(this, {
        name: app.name,
        project: "apps",
        namespace: app.namespace,
        sources: [rendered(app.name)],
        renderedBranch,
        wave: this.waves.get(app.name)!,
        cascadeDelete: true,
        ...(restoreFields ? { ignoreDifferences: restoreFields } : {}),
      });
    }

    new Application(this, "root", {
      metadata: { name: rootApplicationName, namespace: namespaces.argocd, annotations: { [syncWaveAnnotation]: "-2" } },
      spec: rootApplicationSpec(cluster),
    });
  }
}

/**
 * What Argo CD neither diffs nor syncs on an app's volume and its restore (RespectIgnoreDifferences):
 * - the claim's dataSourceRef (and the dataSource the API server copies from it): a claim's spec is
 *   immutable, so a lab whose claims predate the backups would fail every sync on them. A new claim
 *   is created with it as rendered (Argo CD patches only live objects, argo-cd@v3.1.5:
 *   controller/sync.go#L487-L490, docs/user-guide/sync-options.md#L367), which is when it matters.
 * - the restore's trigger and point in time, and the backup's unlock: set on the live object to
 *   restore again or clear a stale restic lock (docs/storage.md), and not reverted by self-heal.
 */
const appRestoreDifferences = [
  { group: "", kind: "PersistentVolumeClaim", jsonPointers: ["/spec/dataSourceRef", "/spec/dataSource"] },
  { group: "volsync.backube", kind: "ReplicationDestination", jsonPointers: ["/spec/trigger", "/spec/restic/restoreAsOf", "/spec/restic/previous"] },
  { group: "volsync.backube", kind: "ReplicationSource", jsonPointers: ["/spec/restic/unlock"] },
];

/** Where Argo CD reads one directory of the rendered branch. */
function renderedSource(cluster: Cluster): (dir: string) => ApplicationSpecSources {
  return (dir) => ({
    repoUrl: cluster.gitops.repoUrl,
    targetRevision: cluster.gitops.renderedBranch,
    path: `${cluster.gitops.path}/${dir}`,
  });
}

/** A platform component's sources: its Helm chart, its upstream git paths, then its own rendered objects. */
function componentSources(component: PlatformComponent, rendered: (dir: string) => ApplicationSpecSources): ApplicationSpecSources[] {
  const sources: ApplicationSpecSources[] = [];
  if (component.helm) {
    const { chart, releaseName, values } = component.helm;
    sources.push({ repoUrl: chart.repoURL, chart: chart.chart, targetRevision: chart.version, helm: { releaseName, valuesObject: values } });
  }
  if (component.git) {
    const { repoURL, version, images } = component.git;
    sources.push({
      repoUrl: repoURL,
      path: component.git.path,
      targetRevision: version,
      ...(component.git.include ? { directory: { include: component.git.include } } : {}),
      ...(images?.length ? { kustomize: { images: [...images] } } : {}),
    });
    for (const { path, include } of component.extraGitPaths ?? []) {
      sources.push({ repoUrl: repoURL, path, targetRevision: version, ...(include ? { directory: { include } } : {}) });
    }
  }
  if (PlatformComponentChart.hasObjects(component)) sources.push(rendered(component.name));
  return sources;
}

/**
 * Every namespace a platform component writes into: its own, and those its chart creates or
 * puts objects in (cilium-secrets, cert-manager's leader-election Roles in kube-system…), from
 * the chart facts. Argo CD refuses a whole sync for one object outside the destinations.
 */
export function platformNamespaces(components: readonly PlatformComponent[], objectNamespaces: readonly string[] = []): string[] {
  const namespaces = components.flatMap((c) => {
    const facts = factsOf(c);
    return [c.namespace, ...(facts?.namespaces ?? []), ...(facts?.objects ?? []).flatMap((o) => (o.namespace ? [o.namespace] : []))];
  });
  return [...new Set([...namespaces, ...objectNamespaces])].sort();
}
