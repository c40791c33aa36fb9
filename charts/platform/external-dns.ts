// external-dns: publishes every HTTPRoute's host name to Cloudflare, only inside the lab's
// domain, with TXT ownership records so it never touches records it did not create.
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { bootstrapSecretNames } from "../../cluster/contract";

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
        env: [{ name: "CF_API_TOKEN", valueFrom: { secretKeyRef: { name: bootstrapSecretNames.cloudflare.name, key: bootstrapSecretNames.cloudflare.key } } }],
        sources: ["gateway-httproute"],
        domainFilters: [props.domain],
        policy: "sync",
        registry: "txt",
        txtOwnerId: props.ownerId,
        txtPrefix: "external-dns-",
        extraArgs: settings.proxied ? ["--cloudflare-proxied"] : [],
      },
    },
    summary: `Cloudflare records for HTTPRoutes in ${props.domain}, TXT owner '${props.ownerId}'${settings.proxied ? ", proxied" : ""}`,
  };
}
