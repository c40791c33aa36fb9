// external-dns: publishes every HTTPRoute's host name to Cloudflare, only inside the lab's
// domain, with TXT ownership records so it never touches records it did not create.
import type { Cluster } from "../../cluster/schema";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { bootstrapSecretNames } from "../../cluster/contract";

export function externalDns(cluster: Cluster): PlatformComponent {
  const settings = cluster.platform.externalDns;
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
        domainFilters: [cluster.domain],
        policy: "sync",
        registry: "txt",
        txtOwnerId: cluster.name,
        txtPrefix: "external-dns-",
        extraArgs: settings.proxied ? ["--cloudflare-proxied"] : [],
      },
    },
    summary: `Cloudflare records for HTTPRoutes in ${cluster.domain}, TXT owner '${cluster.name}'${settings.proxied ? ", proxied" : ""}`,
  };
}
