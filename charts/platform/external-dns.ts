// external-dns: publishes every HTTPRoute's host name to Cloudflare, only inside the lab's
// domain, with TXT ownership records so it never touches records it did not create.
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { noFacts, type UpstreamFacts, type Values } from "./upstream-facts";
import { secretNames } from "../../cluster/contract";
import { cloudflareTokenSecret } from "./cert-manager";

export interface ExternalDnsProps {
  /** The only zone it writes records in. */
  readonly domain: string;
  /** TXT owner id: it never touches records another owner created. */
  readonly ownerId: string;
  /** Create records proxied through Cloudflare (orange cloud). @default false */
  readonly proxied?: boolean;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function externalDns(props: ExternalDnsProps): PlatformComponent {
  const settings = props;
  return {
    name: "external-dns",
    namespace: "external-dns",
    podSecurity: "restricted",
    dependsOn: ["gateway-api"],
    helm: {
      chart: chartVersion(helmCharts.externalDns, settings.version),
      releaseName: "external-dns",
      values: {
        provider: { name: "cloudflare" },
        env: [{ name: "CF_API_TOKEN", valueFrom: { secretKeyRef: { name: secretNames.cloudflare.name, key: secretNames.cloudflare.key } } }],
        sources: ["gateway-httproute"],
        domainFilters: [props.domain],
        policy: "sync",
        registry: "txt",
        txtOwnerId: props.ownerId,
        txtPrefix: "external-dns-",
        extraArgs: settings.proxied ? ["--cloudflare-proxied"] : [],
      },
    },
    facts: externalDnsFacts,
    sealedSecrets: [cloudflareTokenSecret],
    summary: `Cloudflare records for HTTPRoutes in ${props.domain}, TXT owner '${props.ownerId}'${settings.proxied ? ", proxied" : ""}`,
  };
}

// Chart facts of external-dns 1.15.0: kubernetes-sigs/external-dns@external-dns-helm-chart-1.15.0:charts/external-dns/.
// Everything goes to the release namespace; cluster-scoped only RBAC (templates/clusterrole.yaml).
export const externalDnsFacts: UpstreamFacts = {
  upstream: "external-dns",
  confirmedAt: "1.15.0",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    workloads: [
      {
        // values.yaml#L150-L159: no node selector, no tolerations; env secrets are the pod's.
        kind: "Deployment",
        name: "external-dns",
        namespace,
        nodeSelector: values.nodeSelector ?? {},
        tolerations: values.tolerations ?? [],
        secrets: (values.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name).filter(Boolean),
      },
    ],
  }),
};
