// The first sync as dist/k8s shows it: the AppProjects and Applications the root Application
// syncs, each Application a unit of the model at its sync wave, with the objects we render for
// it and the facts of the charts and upstream paths it installs.
import type { Cluster } from "../../../../cluster/schema";
import { manifestsFile } from "../../../../charts/k8s-app";
import { waveOf } from "../../validate/kubernetes-objects";
import type { GitSourceView } from "../../../../charts/platform/upstream-facts";
import { factsForChart, repoName, type FactsProblem } from "./facts-lookup";
import type { K8sObject, Project, Rendered, SourcedFacts, Unit } from "./model";

/** The output path of an application directory's objects (charts/k8s-app.ts writes it). */
export const renderedFile = (directory: string) => `k8s/${directory}/${manifestsFile}`;

export const objectsOf = (rendered: Rendered, file: string): readonly K8sObject[] => rendered.get(file) ?? [];

export function readProjects(appObjects: readonly K8sObject[]): Map<string, Project> {
  const projects = new Map<string, Project>();
  for (const p of appObjects.filter((o) => o.kind === "AppProject")) {
    projects.set(p.metadata.name, {
      name: p.metadata.name,
      sourceRepos: p.spec.sourceRepos ?? [],
      destinations: p.spec.destinations ?? [],
      clusterResourceWhitelist: p.spec.clusterResourceWhitelist ?? [],
    });
  }
  return projects;
}

/** One unit per Application of the app-of-apps directory (the root one included). */
export function applicationUnits(rendered: Rendered, appsFile: string, cluster: Cluster, problems: FactsProblem[]): Unit[] {
  return objectsOf(rendered, appsFile)
    .filter((o) => o.kind === "Application")
    .map((app) => applicationUnit(rendered, app, appsFile, cluster, problems))
    .sort((a, b) => a.stage - b.stage);
}

function applicationUnit(rendered: Rendered, app: K8sObject, appsFile: string, cluster: Cluster, problems: FactsProblem[]): Unit {
  const name = app.metadata.name;
  const wave = waveOf(app);
  const label = `Application ${name} (wave ${wave})`;
  const where = { object: `Application/argocd/${name}`, label };
  const namespace: string = app.spec.destination?.namespace ?? "default";
  const sources: any[] = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  const objects: K8sObject[] = [];
  const facts: SourcedFacts[] = [];
  const ours = sources.filter((s) => s.repoURL === cluster.gitops.repoUrl && s.path);
  const files = ours.map((source) => renderedFile(String(source.path).slice(cluster.gitops.path.length + 1)));
  for (const file of files) objects.push(...objectsOf(rendered, file));
  for (const source of sources.filter((s) => s.chart)) {
    const found = factsForChart(source.chart, String(source.targetRevision), source.helm?.valuesObject ?? {}, namespace, [], where, appsFile, problems);
    if (found) facts.push(found);
  }
  const git = sources.filter((s) => !s.chart && !ours.includes(s));
  for (const repo of [...new Set(git.map((s) => s.repoURL as string))]) {
    const paths: GitSourceView[] = git
      .filter((s) => s.repoURL === repo)
      .map((s) => ({ path: s.path, ...(s.directory?.include ? { include: s.directory.include } : {}) }));
    const version = git.find((s) => s.repoURL === repo).targetRevision;
    const found = factsForChart(repoName(repo), String(version), {}, namespace, paths, where, appsFile, problems);
    if (found) facts.push(found);
  }
  return {
    label,
    name,
    kind: "application",
    stage: wave,
    order: 0,
    file: files[0] ?? appsFile,
    objects,
    facts,
    crds: [],
    application: { project: app.spec.project ?? "default", namespace, repos: sources.map((s) => s.repoURL) },
    manifest: app,
  };
}
