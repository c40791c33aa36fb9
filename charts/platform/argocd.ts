// Argo CD, managing itself after bootstrap. Its config restores the health check of
// Application resources, without which sync waves between Applications do nothing
// (argo-cd #5146); the same values drive the k3s bootstrap HelmChart.
import { HttpRoute } from "../../imports/gateway-api-httproute-gateway.networking.k8s.io";
import { namespaces, sharedGateway } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

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

export function argocdValues(props: ArgocdProps): Record<string, unknown> {
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
  return {
    name: "argocd",
    namespace: namespaces.argocd,
    podSecurity: "baseline",
    dependsOn: [],
    helm: { chart: chartVersion(helmCharts.argocd, props.version), releaseName: "argocd", values: argocdValues(props) },
    serverSideApply: true,
    summary: `self-managed; UI at https://argocd.${props.domain}; Application health check restored for sync waves`,
    manifests: (chart) => {
      new HttpRoute(chart, "ui", {
        metadata: { name: "argocd-server" },
        spec: {
          parentRefs: [{ name: sharedGateway.name, namespace: sharedGateway.namespace, sectionName: sharedGateway.httpsListener }],
          hostnames: [`argocd.${props.domain}`],
          rules: [{ backendRefs: [{ name: "argocd-server", port: 80 }] }],
        },
      });
    },
  };
}
