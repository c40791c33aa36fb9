// Rule "sync-retry": a failed automated sync must be able to end on the fixing commit.
// - It retries with the latest revision (retry.refresh), or a sync that fails for a repeatable
//   reason (an immutable field, a webhook's refusal, a failing hook) retries the commit it
//   started on for ever: every retry re-reads the recorded revision, and auto-sync, which would
//   pick up the fixing commit, is skipped while the operation runs (argo-cd@v3.4.4:
//   controller/appcontroller.go#L1485-L1489, #L2194-L2197). An automated sync without a retry
//   policy retries 5 times (#L2241). refresh exists from Argo CD v3.2.0 on (chart argo-cd 9.1.0):
//   an older Argo CD drops the field with its CRD.
// - It retries without limit only where every source is a path of the rendered branch. refresh
//   re-reads revisions, not the sources: every retry syncs the sources auto-sync recorded in the
//   operation (#L2224-L2244; controller/sync.go#L97-L110, #L137-L139), so a chart version, Helm
//   values or an upstream tag that root has since fixed in the Application's spec reaches it
//   only through a new operation — which never comes while this one retries without end.
import type { Finding } from "../../findings";
import { objectId } from "../../../validate/kubernetes-objects";
import { unitId, type Context } from "../context";
import type { K8sObject, Unit } from "../model";
import { onlyRenderedPaths, type RenderedBranch } from "../../../../../charts/argocd/retry";

/** The first chart release of argo-cd with Argo CD v3.2.0 (argoproj/argo-helm@argo-cd-9.1.0: Chart.yaml appVersion). */
const firstChartWithRefresh = [9, 1];

const olderThan = (version: string, [major, minor]: number[]) => {
  const [a, b] = version.replace(/^v/, "").split(".").map(Number);
  return a < major || (a === major && b < minor);
};

/** An Application unit's own Application; the Applications a bootstrap file applies (the root's copy). */
function applicationsOf(unit: Unit): K8sObject[] {
  if (unit.kind === "application") return unit.manifest ? [unit.manifest] : [];
  return unit.objects.filter((o) => o.kind === "Application");
}

function argocdChartVersions(units: readonly Unit[]): { unit: Unit; version: string }[] {
  return units.flatMap((unit) => [
    ...(unit.manifest?.spec?.sources ?? []).filter((s: any) => s.chart === "argo-cd").map((s: any) => ({ unit, version: String(s.targetRevision) })),
    ...(unit.kind === "bootstrap" ? unit.objects : [])
      .filter((o) => o.kind === "HelmChart" && o.spec?.chart === "argo-cd")
      .map((o) => ({ unit, version: String(o.spec.version) })),
  ]);
}

/** The first source of an Application a commit can change only through its spec, described. */
function specBoundSource(app: K8sObject, rendered: RenderedBranch): string | undefined {
  const sources: any[] = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  const bound = sources.find((s) => !onlyRenderedPaths([s], rendered));
  if (!bound) return undefined;
  if (bound.chart) return `chart ${bound.chart} ${bound.targetRevision}${bound.helm ? " and its values" : ""}`;
  return `${bound.repoURL} ${bound.path ?? ""} at ${bound.targetRevision}`.replace("  ", " ");
}

export function checkSyncRetry({ world }: Context): Finding[] {
  const findings: Finding[] = [];
  let refreshed = false;
  for (const unit of world.units) {
    for (const app of applicationsOf(unit)) {
      const policy = app.spec?.syncPolicy;
      if (!policy?.automated) continue;
      const limit = policy.retry?.limit ?? 5;
      if (policy.retry?.refresh === true) refreshed = true;
      const id = objectId(app);
      const bound = limit < 0 ? specBoundSource(app, world.renderedBranch) : undefined;
      if (bound)
        findings.push({
          file: unit.file,
          object: id,
          rule: "sync-retry",
          message: `${id} (${unit.label}) retries a failed sync without limit, and every retry syncs the sources its operation recorded when it started (${bound}): a commit that fixes them in its spec reaches it only through a new operation, which auto-sync never starts while this one retries`,
          fix: "give it a finite retry limit (charts/argocd/retry.ts boundedRetry): once it ends, the next reconciliation syncs the spec root applied; or take every source from the rendered branch",
        });
      if (limit === 0 || policy.retry?.refresh === true) continue;
      findings.push({
        file: unit.file,
        object: id,
        rule: "sync-retry",
        message: `${id} (${unit.label}) retries a failed sync ${limit < 0 ? "without limit" : `${limit} times`} with the revision it started on (retry.refresh unset): a repeatable failure keeps it on the broken commit, and auto-sync, which would take the fixing one, waits for the operation to end`,
        fix: "set syncPolicy.retry.refresh: true on every Application, the root one and its bootstrap copy included (charts/argocd/retry.ts)",
      });
    }
  }
  if (!refreshed) return findings;
  for (const { unit, version } of argocdChartVersions(world.units).filter((c) => olderThan(c.version, firstChartWithRefresh)))
    findings.push({
      file: unit.file,
      object: unitId(unit),
      rule: "sync-retry",
      message: `${unit.label} installs argo-cd ${version} (Argo CD before v3.2), whose Application CRD has no retry.refresh: the field is dropped and every retry stays on the revision it started on`,
      fix: "install chart argo-cd 9.1.0 or later (charts/platform/versions.ts)",
    });
  return findings;
}
