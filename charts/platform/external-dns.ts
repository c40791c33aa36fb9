// external-dns: publishes the host names of the HTTPRoutes on the shared Gateway to Cloudflare,
// in the lab's DNS zone and only under the lab's domain, with TXT ownership records so it never
// touches records it did not create.
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { noFacts, type UpstreamFacts, type Values } from "./upstream-facts";
import { secretNames, sharedGateway } from "../../cluster/contract";
import { cloudflareTokenSecret } from "./cert-manager";

export interface ExternalDnsProps {
  /** The Cloudflare zone it writes records in: the domain itself or a parent of it. */
  readonly zone: string;
  /** The lab's domain: only names under it are published. */
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
        // Cloudflare keeps a zone only if the filter matches the zone's own name
        // (kubernetes-sigs/external-dns@v0.15.0: provider/cloudflare/cloudflare.go#L237-L242,
        // endpoint/domain_filter.go#L107-L133): a filter on a sub-domain (lab.example.com in the
        // zone example.com) drops the zone and every record silently (external-dns#4796).
        domainFilters: [props.zone],
        policy: "sync",
        registry: "txt",
        txtOwnerId: props.ownerId,
        txtPrefix: "external-dns-",
        // Only routes of Gateways in the shared Gateway's namespace, and of those only the host
        // names their listener accepts (source/gateway.go#L338-L366): *.<domain> on HTTPS.
        extraArgs: [`--gateway-namespace=${sharedGateway.namespace}`, ...(settings.proxied ? ["--cloudflare-proxied"] : [])],
      },
    },
    facts: externalDnsFacts,
    sealedSecrets: [cloudflareTokenSecret],
    summary: `Cloudflare records in the zone ${props.zone} for the HTTPRoutes under ${props.domain} on the shared Gateway, TXT owner '${props.ownerId}'${settings.proxied ? ", proxied" : ""}`,
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
