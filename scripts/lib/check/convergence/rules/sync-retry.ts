// Rule "sync-retry": an automated Application retries a failed sync with the latest revision
// (retry.refresh), or a sync that fails for a repeatable reason (an immutable field, a webhook's
// refusal, a failing hook) retries the commit it started on for ever: every retry re-reads the
// recorded revision, and auto-sync, which would pick up the fixing commit, is skipped while the
// operation runs (argo-cd@v3.4.4: controller/appcontroller.go#L1483-L1489, #L2194-L2197). An
// automated sync without a retry policy retries 5 times (#L2241). refresh exists from Argo CD
// v3.2.0 on (chart argo-cd 9.1.0): an older Argo CD drops the field with its CRD.
import type { Finding } from "../../findings";
import { objectId } from "../../../validate/kubernetes-objects";
import { unitId, type Context } from "../context";
import type { K8sObject, Unit } from "../model";

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

export function checkSyncRetry({ world }: Context): Finding[] {
  const findings: Finding[] = [];
  let refreshed = false;
  for (const unit of world.units) {
    for (const app of applicationsOf(unit)) {
      const policy = app.spec?.syncPolicy;
      if (!policy?.automated) continue;
      const limit = policy.retry?.limit ?? 5;
      if (policy.retry?.refresh === true) refreshed = true;
      if (limit === 0 || policy.retry?.refresh === true) continue;
      const id = objectId(app);
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
