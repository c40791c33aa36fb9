// Rule "root-health": the health check of Application resources, in both copies (the argocd
// Application's values and the bootstrap HelmChart's), is run as Argo CD runs it (lua-health.ts)
// and must do two things. Pass a child's health up, so each wave of the root Application waits
// for the one before (Argo CD has no built-in check: argo-cd@v3.4.4
// docs/operator-manual/health.md#L31). And leave the root Application itself out: the sync
// engine reads the health of every object it applies through this check, root's own included
// (gitops-engine/pkg/sync/sync_context.go#L538-L556), so a root that rolls up its children fails
// its next sync at its own wave whenever one child is Degraded — before any AppProject or
// Application change is applied, the change that would fix the child included.
import { parse } from "yaml";
import type { Finding } from "../../findings";
import { runHealthLua } from "../../lua-health";
import { unitId, type Context } from "../context";
import type { K8sObject, Unit } from "../model";

export const applicationHealthKey = "resource.customizations.health.argoproj.io_Application";

interface Copy {
  readonly where: string;
  readonly unit: Unit;
  readonly lua: string | undefined;
}

/** The Application health check of each copy of Argo CD's values: its Application and the bootstrap HelmChart. */
function healthCopies(units: readonly Unit[]): Copy[] {
  const copies: Copy[] = [];
  for (const unit of units) {
    for (const source of unit.manifest?.spec?.sources ?? [])
      if (source.chart === "argo-cd") copies.push({ where: unit.label, unit, lua: source.helm?.valuesObject?.configs?.cm?.[applicationHealthKey] });
    for (const chart of unit.kind === "bootstrap" ? unit.objects.filter((o) => o.kind === "HelmChart" && o.spec?.chart === "argo-cd") : [])
      copies.push({
        where: `${unit.label} (HelmChart ${chart.metadata.name})`,
        unit,
        lua: (parse(chart.spec.valuesContent ?? "") ?? {}).configs?.cm?.[applicationHealthKey],
      });
  }
  return copies;
}

/** The root Application: the one whose own source is the directory it is rendered in. */
function rootApplication(units: readonly Unit[]): K8sObject | undefined {
  const root = units.find(
    (u) =>
      u.manifest &&
      u.file.startsWith(
        `k8s/${String(u.manifest.spec?.source?.path ?? "")
          .split("/")
          .pop()}/`,
      ),
  );
  return root?.manifest;
}

const application = (name: string, namespace: string, health: string) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  metadata: { name, namespace },
  status: { health: { status: health, message: `${health} for the check` } },
});

function problems(lua: string, root: K8sObject): string[] {
  const found: string[] = [];
  const { name, namespace } = root.metadata;
  const rootHealth = runHealthLua(lua, application(name, namespace!, "Degraded")).status;
  if (rootHealth !== "Healthy")
    found.push(
      `it gives the root Application ${namespace}/${name} its children's health (${rootHealth} for a Degraded child): root's own sync then fails at its wave whenever one child is Degraded, and no AppProject or Application change is applied again, the fix included`,
    );
  for (const child of ["Degraded", "Progressing"]) {
    const got = runHealthLua(lua, application("child-of-root", namespace!, child)).status;
    if (got !== child) found.push(`it gives a ${child} child Application the health ${got}: the root Application's waves no longer wait for the wave before`);
  }
  return found;
}

export function checkRootHealth({ world }: Context): Finding[] {
  const root = rootApplication(world.units);
  if (!root) return [];
  const copies = healthCopies(world.units);
  const findings: Finding[] = [];
  const fix = `roll up every Application's health except the root Application's, by its name, in both copies (charts/platform/argocd.ts applicationHealthLua; the bootstrap HelmChart takes the same values)`;
  for (const copy of copies) {
    const object = unitId(copy.unit);
    if (!copy.lua) {
      findings.push({
        file: copy.unit.file,
        object,
        rule: "root-health",
        message: `${copy.where} sets no health check for Application resources (configs.cm ${applicationHealthKey}): Argo CD has none built in, so the root Application's waves do not wait for each other`,
        fix,
      });
      continue;
    }
    for (const problem of problems(copy.lua, root))
      findings.push({ file: copy.unit.file, object, rule: "root-health", message: `${copy.where}: ${problem}`, fix });
  }
  const texts = new Set(copies.map((c) => c.lua ?? ""));
  if (texts.size > 1)
    findings.push({
      file: copies[0].unit.file,
      object: unitId(copies[0].unit),
      rule: "root-health",
      message: `the Application health check differs between ${copies.map((c) => c.where).join(" and ")}: the cluster runs the bootstrap's until Argo CD syncs its own, and the hand-over then changes it`,
      fix: "render both from the same values (infra/bootstrap/auto-deploy.ts takes the argocd component's Helm values)",
    });
  return findings;
}
