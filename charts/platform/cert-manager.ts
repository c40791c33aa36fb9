// cert-manager with Let's Encrypt ClusterIssuers (staging and production) solving DNS-01
// through Cloudflare. The API token is a Secret created at bootstrap, never rendered here.
import { ClusterIssuer } from "../../imports/cert-manager-clusterissuer-cert-manager.io";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { bootstrapSecretNames } from "../../cluster/contract";

const acmeServers = {
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
  "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

export interface CertManagerProps {
  /** Let's Encrypt account e-mail (expiry notices). */
  readonly acmeEmail: string;
  /** The DNS zone the issuers solve DNS-01 challenges for (Cloudflare). */
  readonly domain: string;
  /** The issuer certificates use (both are created). */
  readonly issuer: keyof typeof acmeServers;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function certManager(props: CertManagerProps): PlatformComponent {
  const settings = props;
  return {
    name: "cert-manager",
    namespace: "cert-manager",
    podSecurity: "restricted",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.certManager, settings.version),
      releaseName: "cert-manager",
      values: {
        crds: { enabled: true, keep: true },
        // Check DNS-01 propagation against public resolvers, not the LAN's split-horizon DNS.
        extraArgs: ["--dns01-recursive-nameservers-only", "--dns01-recursive-nameservers=1.1.1.1:53,1.0.0.1:53"],
        prometheus: { enabled: true },
      },
    },
    serverSideApply: true,
    summary: `Let's Encrypt staging + production ClusterIssuers, DNS-01 via Cloudflare for ${props.domain}; active: ${settings.issuer}`,
    manifests: (chart) => {
      for (const [name, server] of Object.entries(acmeServers)) {
        new ClusterIssuer(chart, name, {
          metadata: { name },
          spec: {
            acme: {
              server,
              email: settings.acmeEmail,
              privateKeySecretRef: { name: `${name}-account-key` },
              solvers: [
                {
                  selector: { dnsZones: [props.domain] },
                  dns01: { cloudflare: { apiTokenSecretRef: { name: bootstrapSecretNames.cloudflare.name, key: bootstrapSecretNames.cloudflare.key } } },
                },
              ],
            },
          },
        });
      }
    },
  };
}
