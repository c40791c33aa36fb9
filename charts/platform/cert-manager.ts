// cert-manager with Let's Encrypt ClusterIssuers (staging and production) solving DNS-01
// through Cloudflare. The API token is a sealed Secret: `npm run seal -- cert-manager CLOUDFLARE_API_TOKEN`.
import { ClusterIssuer } from "../../imports/cert-manager-clusterissuer-cert-manager.io";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { linuxNodes, noFacts, roleAndBinding, type UpstreamFacts, type Values } from "./upstream-facts";
import { secretNames } from "../../cluster/contract";

const acmeServers = {
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
  "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

export interface CertManagerProps {
  /** Let's Encrypt account e-mail (expiry notices). */
  readonly acmeEmail: string;
  /** The Cloudflare zone the issuers solve DNS-01 challenges in (the domain or a parent of it). */
  readonly zone: string;
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
    facts: certManagerFacts,
    // The ClusterIssuers' token, in the cluster resource namespace (the release namespace).
    sealedSecrets: [cloudflareTokenSecret],
    serverSideApply: true,
    summary: `Let's Encrypt staging + production ClusterIssuers, DNS-01 via Cloudflare in the zone ${props.zone}; active: ${settings.issuer}`,
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
                  // Every name in the zone: the most specific dnsZones entry wins, counted in labels
                  // (cert-manager/cert-manager@v1.21.1: pkg/controller/acmeorders/selectors/dns_zones.go#L36-L54).
                  selector: { dnsZones: [props.zone] },
                  dns01: { cloudflare: { apiTokenSecretRef: { name: secretNames.cloudflare.name, key: secretNames.cloudflare.key } } },
                },
              ],
            },
          },
        });
      }
    },
  };
}

/** The Cloudflare API token (Zone:DNS:Edit on the lab's zone), sealed, for the DNS-01 solver and external-dns alike. */
export const cloudflareTokenSecret = {
  name: secretNames.cloudflare.name,
  values: [{ name: secretNames.cloudflare.sealedAs, key: secretNames.cloudflare.key }],
} as const;

// Chart facts of cert-manager v1.21.1: cert-manager/cert-manager@v1.21.1:deploy/charts/cert-manager/.
export const certManagerFacts: UpstreamFacts = {
  upstream: "cert-manager",
  confirmedAt: "v1.21.1",
  of: (values: Values, { namespace }) => {
    // Leader election Roles go to global.leaderElection.namespace, kube-system by default
    // (values.yaml#L73-L75; templates/rbac.yaml#L1-L6, cainjector-rbac.yaml#L58, #L87).
    const election = values.global?.leaderElection?.namespace ?? "kube-system";
    const group = "cert-manager.io";
    // values.yaml#L510-L511 (linux), #L611 (no tolerations); webhook and cainjector alike.
    const workload = (name: string) => ({ kind: "Deployment" as const, name, namespace, nodeSelector: linuxNodes, tolerations: [] });
    return {
      ...noFacts,
      objects: [...roleAndBinding("cert-manager:leaderelection", election), ...roleAndBinding("cert-manager-cainjector:leaderelection", election)],
      // templates/crd-*.yaml, rendered with crds.enabled.
      crds: values.crds?.enabled
        ? [
            ...["Certificate", "Issuer", "ClusterIssuer", "CertificateRequest"].map((kind) => ({ group, kind, versions: ["v1"] })),
            ...["Order", "Challenge"].map((kind) => ({ group: "acme.cert-manager.io", kind, versions: ["v1"] })),
          ]
        : [],
      workloads: [workload("cert-manager"), workload("cert-manager-webhook"), workload("cert-manager-cainjector")],
    };
  },
};
