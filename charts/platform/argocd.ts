// Argo CD, managing itself after bootstrap. Its config restores the health check of
// Application resources, without which sync waves between Applications do nothing
// (argo-cd #5146); the same values drive the k3s bootstrap HelmChart. Its UI route belongs to
// the shared Gateway's component (gateway.ts): a route is Healthy only once its Gateway exists,
// and Argo CD comes first.
import { namespaces } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { k3sHelmChartHandover } from "./k3s-handover";
import { helmMerge, linuxNodes, noFacts, type UpstreamFacts, type Values } from "./upstream-facts";

export interface ArgocdProps {
  /** The lab's domain: the UI is served at argocd.<domain>. */
  readonly domain: string;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

/** Health of an Application = its own health status, so a parent waits for it per wave. */
const applicationHealthLua = `hs = {}
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

function argocdValues(props: ArgocdProps): Record<string, unknown> {
  return {
    global: { domain: `argocd.${props.domain}` },
    configs: {
      cm: {
        "resource.customizations.health.argoproj.io_Application": applicationHealthLua,
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

// Chart facts of argo-cd 8.5.0 (Argo CD v3.1.5): argoproj/argo-helm@argo-cd-8.5.0:charts/argo-cd/.
// Only v3.5.1's CRD files are in the offline reference pack, so Application and AppProject are
// schema-validated against v3.5.1, not the v3.1.5 this chart installs.
export const argocdFacts: UpstreamFacts = {
  upstream: "argo-cd",
  confirmedAt: "8.5.0",
  of: (values: Values, { namespace }) => {
    // values.yaml#L124-L129: every component takes global.nodeSelector (linux) and global.tolerations ([]).
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
    };
  },
};
