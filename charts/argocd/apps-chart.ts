// dist/k8s/argocd-apps: what the root Application syncs — the AppProjects, one Application
// per platform component and per app directory, and the root Application itself (so it is
// managed from git too). Waves: projects, then platform components in dependency order,
// then the app namespaces and apps.
import type { Construct } from "constructs";
import { Application, type ApplicationSpecSources } from "../../imports/argocd-application-argoproj.io";
import type { Cluster } from "../../cluster/schema";
import { HomelabChart } from "../homelab-chart";
import { PlatformComponentChart } from "../platform-chart";
import type { PlatformComponent } from "../platform/component";
import { homelabApplication, syncWaveAnnotation } from "./application";
import { projects } from "./projects";
import { appsDirectory, rootApplicationSpec } from "./root-application";
import { syncWaves } from "./waves";
import { namespaces } from "../../cluster/contract";

/** An app directory (namespaces, each workload) that the "apps" project deploys. */
export interface AppDirectory {
  readonly name: string;
  readonly namespace: string;
  readonly dependsOn?: readonly string[];
}

export interface ArgocdAppsChartProps {
  readonly cluster: Cluster;
  readonly components: readonly PlatformComponent[];
  readonly apps: readonly AppDirectory[];
}

export class ArgocdAppsChart extends HomelabChart {
  /** Sync wave of every Application, by name (for docs and tests). */
  readonly waves: ReadonlyMap<string, number>;

  constructor(scope: Construct, id: string, props: ArgocdAppsChartProps) {
    super(scope, id, { appName: appsDirectory, namespace: namespaces.argocd });
    const { cluster, components, apps } = props;
    const rendered = (dir: string): ApplicationSpecSources => ({ repoUrl: cluster.gitops.repoUrl, targetRevision: cluster.gitops.renderedBranch, path: `${cluster.gitops.path}/${dir}` });

    const platformWaves = syncWaves(components, 0);
    const firstAppWave = Math.max(-1, ...platformWaves.values()) + 1;
    const appWaves = syncWaves(apps.map((a) => ({ name: a.name, dependsOn: a.dependsOn ?? [] })), firstAppWave);
    this.waves = new Map([...platformWaves, ...appWaves]);

    const helmRepos = components.flatMap((c) => [c.helm?.chart.repoURL, c.git?.repoURL]).filter((r): r is string => !!r);
    projects(this, {
      renderedRepo: cluster.gitops.repoUrl,
      platformRepos: [...new Set(helmRepos)],
      platformNamespaces: [...new Set(components.map((c) => c.namespace))].sort(),
      appNamespaces: [...new Set(apps.map((a) => a.namespace))].sort(),
      wave: -1,
    });

    for (const component of components) {
      const sources: ApplicationSpecSources[] = [];
      if (component.helm) {
        const { chart, releaseName, values } = component.helm;
        sources.push({ repoUrl: chart.repoURL, chart: chart.chart, targetRevision: chart.version, helm: { releaseName, valuesObject: values } });
      }
      if (component.git) sources.push({ repoUrl: component.git.repoURL, path: component.git.path, targetRevision: component.git.version });
      if (PlatformComponentChart.hasObjects(component)) sources.push(rendered(component.name));
      homelabApplication(this, { name: component.name, project: "platform", namespace: component.namespace, sources, wave: platformWaves.get(component.name)!, serverSideApply: component.serverSideApply });
    }
    for (const app of apps) {
      homelabApplication(this, { name: app.name, project: "apps", namespace: app.namespace, sources: [rendered(app.name)], wave: appWaves.get(app.name)!, cascadeDelete: true });
    }

    new Application(this, "root", {
      metadata: { name: "root", namespace: namespaces.argocd, annotations: { [syncWaveAnnotation]: "-2" } },
      spec: rootApplicationSpec(cluster),
    });
  }
}
