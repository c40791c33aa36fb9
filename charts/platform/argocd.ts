// Argo CD, managing itself after bootstrap. Its config restores the health check of
// Application resources, without which sync waves between Applications do nothing
// (argo-cd #5146; still not built in at v3.4.4: docs/operator-manual/health.md#L31), and adds
// VolSync's, which it has none of; the same values drive the k3s bootstrap HelmChart. Its UI
// route belongs to the shared Gateway's component (gateway.ts): a route is Healthy only once its
// Gateway exists.
import { namespaces } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { k3sHelmChartHandover } from "./k3s-handover";
import { helmMerge, linuxNodes, noFacts, type UpstreamFacts, type Values } from "./upstream-facts";
import { rootApplicationName } from "../argocd/root-application";

export interface ArgocdProps {
  /** The lab's domain: the UI is served at argocd.<domain>. */
  readonly domain: string;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

/**
 * Health of an Application = its own health status, so a parent waits for it per wave — except
 * the root Application's. Root syncs the directory it lives in: Argo CD leaves a self-managing
 * Application out of its own app health (argo-cd@v3.4.4: controller/health.go#L51-L54), but the
 * sync engine reads the health of every object it applied, root's own included, through this
 * override: Degraded fails the sync, anything but Healthy waits
 * (gitops-engine/pkg/sync/sync_context.go#L538-L556, #L558-L584). Rolled up, one Degraded child failed every
 * later root sync at wave -2, before any AppProject or Application change — the fix included.
 */
export const applicationHealthLua = `hs = {}
if obj.metadata.name == "${rootApplicationName}" and obj.metadata.namespace == "${namespaces.argocd}" then
  hs.status = "Healthy"
  hs.message = "the root Application is not waited for: each child gates its own wave"
  return hs
end
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/**
 * Lua for a VolSync object: `hs` starts as `start`; Degraded while its mover keeps failing (after
 * 8 tries, status.latestMoverStatus) or its reconcile errs (a Synchronizing condition with reason
 * Error); then `rest` decides.
 */
const volsyncHealthLua = (start: string, failed: string, rest: string) => `hs = { ${start} }
if obj.status == nil then
  return hs
end
local mover = obj.status.latestMoverStatus
if mover ~= nil and mover.result == "Failed" then
  hs.status = "Degraded"
  hs.message = "${failed}"
  return hs
end
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Synchronizing" and condition.reason == "Error" then
      hs.status = "Degraded"
      hs.message = condition.message
      return hs
    end
  end
end
${rest}return hs
`;

/**
 * Health of a ReplicationDestination (VolSync), for which Argo CD has none
 * (argo-cd@v3.4.4: resource_customizations/ has no volsync.backube): Healthy once it has restored
 * (an image, and its manual trigger done), Degraded while its mover keeps failing (after 8 tries,
 * status.latestMoverStatus; backube/volsync@v0.16.0: internal/controller/mover/restic/mover.go#L609-L618)
 * or its reconcile errs (a missing Secret: a Synchronizing condition with reason Error), else
 * Progressing (the names: api/v1alpha1/common_types.go#L66-L71, #L130-L131). An app's volume waits for it, and so does its Application.
 */
const restoreHealthLua = volsyncHealthLua(
  'status = "Progressing", message = "Restoring from the newest backup"',
  "The restore keeps failing (retried): see status.latestMoverStatus.logs",
  `local trigger = obj.spec.trigger
if obj.status.latestImage ~= nil and trigger ~= nil and trigger.manual ~= nil and obj.status.lastManualSync == trigger.manual then
  hs.status = "Healthy"
  hs.message = "Restored"
end
`,
);

/**
 * Health of a ReplicationSource: Degraded when its last backup failed (8 tries) or its reconcile
 * errs, else Healthy: a volume without a backup yet is not a fault of the app.
 */
const backupHealthLua = volsyncHealthLua(
  'status = "Healthy", message = ""',
  "The last backup failed (retried): see status.latestMoverStatus.logs",
  `if obj.status.lastSyncTime ~= nil then
  hs.message = "Last backup " .. obj.status.lastSyncTime
end
`,
);

/** Health checks Argo CD lacks, by resource.customizations key: the same in the bootstrap's values and Argo CD's own. */
export const healthChecks: Readonly<Record<string, string>> = {
  "resource.customizations.health.argoproj.io_Application": applicationHealthLua,
  "resource.customizations.health.volsync.backube_ReplicationDestination": restoreHealthLua,
  "resource.customizations.health.volsync.backube_ReplicationSource": backupHealthLua,
};

function argocdValues(props: ArgocdProps): Record<string, unknown> {
  return {
    global: { domain: `argocd.${props.domain}` },
    configs: {
      cm: {
        ...healthChecks,
        "exec.enabled": false,
        "admin.enabled": true,
        "timeout.reconciliation": "180s",
      },
      // TLS ends at the shared Gateway.
      params: { "server.insecure": true },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
  };
}

export function argocd(props: ArgocdProps): PlatformComponent {
  const releaseName = "argocd";
  return {
    name: "argocd",
    namespace: namespaces.argocd,
    podSecurity: "baseline",
    dependsOn: [],
    helm: { chart: chartVersion(helmCharts.argocd, props.version), releaseName, values: argocdValues(props) },
    facts: argocdFacts,
    serverSideApply: true,
    summary: `self-managed; UI at https://argocd.${props.domain} (routed by the gateway component); Application health check restored for sync waves`,
    manifests: (chart) => k3sHelmChartHandover(chart, releaseName),
  };
}

// Chart facts of argo-cd 10.1.1 (Argo CD v3.4.4): argoproj/argo-helm@argo-cd-10.1.1:charts/argo-cd/.
// Only v3.5.1's CRD files are in the offline reference pack, so Application and AppProject are
// schema-validated against v3.5.1, not the v3.4.4 this chart installs (retry.refresh, which we
// set, is in both: manifests/crds/application-crd.yaml from v3.2.0 on).
export const argocdFacts: UpstreamFacts = {
  upstream: "argo-cd",
  confirmedAt: "10.1.1",
  of: (values: Values, { namespace }) => {
    // values.yaml#L128-L133: every component takes global.nodeSelector (linux) and global.tolerations ([]).
    // global.networkPolicy.create is true from 10.0.0 on (values.yaml#L118-L121): NetworkPolicies in
    // the release namespace only; argocd-server's admits every source (templates/argocd-server/networkpolicy.yaml).
    const nodeSelector = helmMerge(linuxNodes, values.global?.nodeSelector);
    const tolerations = values.global?.tolerations ?? [];
    const workload = (kind: "Deployment" | "StatefulSet", name: string) => ({ kind, name, namespace, nodeSelector, tolerations });
    return {
      ...noFacts,
      // templates/crds/ (crds.install: true, values.yaml#L31-L33).
      crds:
        values.crds?.install === false
          ? []
          : ["Application", "AppProject", "ApplicationSet"].map((kind) => ({ group: "argoproj.io", kind, versions: ["v1alpha1"] })),
      workloads: [
        workload("StatefulSet", "argocd-application-controller"),
        workload("Deployment", "argocd-server"),
        workload("Deployment", "argocd-repo-server"),
        workload("Deployment", "argocd-redis"),
        workload("Deployment", "argocd-applicationset-controller"),
      ],
      // values.yaml#L2470-L2472: the UI's Service, which the gateway component's route names.
      services: [{ name: "argocd-server", namespace, ports: [values.server?.service?.servicePortHttp ?? 80, values.server?.service?.servicePortHttps ?? 443] }],
    };
  },
};
