// Rule "admission": Argo CD applies an Application only if its AppProject admits every object
// of it: namespaced objects need their namespace among the project's destinations,
// cluster-scoped ones a clusterResourceWhitelist entry matching its group, its kind and (when the
// entry names one) its name, sources a sourceRepos entry. One object refused fails the whole
// sync (argo-cd@v3.4.4: controller/sync.go#L310-L314, #L617-L641;
// pkg/apis/application/v1alpha1/app_project_types.go#L398-L416, types.go#L3634-L3654). Chart
// objects come from facts.
import type { Finding } from "../../findings";
import { groupOf, isClusterScoped, type Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { Project, Unit } from "../model";

interface Applied {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  /** undefined: cluster-scoped. */
  readonly namespace?: string;
  readonly origin: string;
}

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  ).test(value);

function appliedBy(unit: Unit): Applied[] {
  const namespace = unit.application?.namespace ?? "default";
  const applied: Applied[] = unit.objects.map((o) => ({
    id: objectId(o),
    name: o.metadata.name,
    group: groupOf(o.apiVersion),
    kind: o.kind,
    namespace: isClusterScoped(o) ? undefined : (o.metadata.namespace ?? namespace),
    origin: "rendered",
  }));
  for (const { origin, facts } of unit.facts) {
    applied.push(...facts.namespaces.map((name) => ({ id: `Namespace/${name}`, name, group: "", kind: "Namespace", origin })));
    applied.push(...facts.objects.map((o) => ({ id: objectId(o), name: o.name, group: groupOf(o.apiVersion), kind: o.kind, namespace: o.namespace, origin })));
    applied.push(
      ...facts.crds.map((c) => ({
        id: `CustomResourceDefinition/${c.kind}.${c.group}`,
        name: `${c.kind}.${c.group}`,
        group: "apiextensions.k8s.io",
        kind: "CustomResourceDefinition",
        origin,
      })),
    );
    applied.push(
      ...facts.workloads.filter((w) => !w.runtime).map((w) => ({ id: objectId(w), name: w.name, group: "apps", kind: w.kind, namespace: w.namespace, origin })),
    );
  }
  return applied;
}

function refusal(project: Project, a: Applied): string | undefined {
  if (a.namespace === undefined) {
    const listed = project.clusterResourceWhitelist.some((w) => glob(w.group, a.group) && glob(w.kind, a.kind) && (!w.name || glob(w.name, a.name)));
    return listed ? undefined : `the cluster-scoped kind ${a.group || "core"}/${a.kind} is not in its clusterResourceWhitelist`;
  }
  const listed = project.destinations.some((d) => glob(d.namespace ?? "*", a.namespace!));
  return listed ? undefined : `namespace ${a.namespace} is not among its destinations`;
}

export function checkAdmission({ world }: Context): Finding[] {
  const findings: Finding[] = [];
  for (const unit of world.units.filter((u) => u.application)) {
    const app = unit.application!;
    if (app.project === "default") continue; // Argo CD's default project admits everything
    const project = world.projects.get(app.project);
    const fix = `derive project ${app.project}'s destinations and cluster kinds from what its components create, their chart facts included (charts/argocd/projects.ts, charts/platform/*.ts)`;
    if (!project) {
      findings.push({
        file: unit.file,
        object: `Application/argocd/${unit.name}`,
        rule: "admission",
        message: `${unit.label} names AppProject ${app.project}, which this output does not create`,
        fix: "create the project or use an existing one",
      });
      continue;
    }
    for (const repo of app.repos.filter((r) => !project.sourceRepos.some((s) => glob(s, r)))) {
      findings.push({
        file: unit.file,
        object: `Application/argocd/${unit.name}`,
        rule: "admission",
        message: `${unit.label}: source ${repo} is not among AppProject ${project.name}'s sourceRepos, so Argo CD refuses the whole Application`,
        fix,
      });
    }
    for (const applied of appliedBy(unit)) {
      const reason = refusal(project, applied);
      if (reason)
        findings.push({
          file: unit.file,
          object: applied.id,
          rule: "admission",
          message: `${applied.id} (${applied.origin}, ${unit.label}) is refused by AppProject ${project.name}: ${reason}; Argo CD then refuses the whole sync`,
          fix,
        });
    }
  }
  return findings;
}
