// The shared Gateway every app's HTTPRoute attaches to: HTTP on 80 redirecting to HTTPS, and
// HTTPS on 443 for *.<domain> with a wildcard certificate, on the spec's ingress IP. A failed or
// rate-limited issuance may cost HTTPS (a temporary certificate until it succeeds), never the
// rest of the lab: nothing waits for the certificate.
import { Certificate } from "../../imports/cert-manager-certificate-cert-manager.io";
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom as From,
  GatewaySpecListenersTlsMode as TlsMode,
} from "../../imports/gateway-api-gateway-gateway.networking.k8s.io";
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme as Scheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode as StatusCode,
  HttpRouteSpecRulesFiltersType as FilterType,
} from "../../imports/gateway-api-httproute-gateway.networking.k8s.io";
import type { HomelabChart } from "../homelab-chart";
import type { PlatformComponent } from "./component";
import { namespaces, sharedGateway } from "../../cluster/contract";
import { backupRepository } from "../../cluster/app-backups";
import { kubeObject } from "../../lib/kube-object";
import { certificateCarryRestore, wildcardCertificate } from "./certificate-carry";

export interface GatewayProps {
  /** The lab's domain: HTTPS for it and *.<domain>, with one wildcard certificate. */
  readonly domain: string;
  /** The address of the Gateway's LoadBalancer Service, from the LB pool. */
  readonly ingressIp: string;
  /** The ClusterIssuer of the certificate. */
  readonly issuer: string;
  /** Host of the Argo CD UI route (in Argo CD's namespace), rendered here, with the Gateway it needs. @default no route */
  readonly argocdHost?: string;
  /**
   * Restore the certificate from the app backups' repository before the Certificate exists
   * (charts/platform/certificate-carry.ts); the repository's server syncs first. @default false
   */
  readonly carryCertificate?: boolean;
}

export function gateway(props: GatewayProps): PlatformComponent {
  return {
    name: "gateway",
    namespace: sharedGateway.namespace,
    podSecurity: "restricted",
    dependsOn: ["cilium", "cert-manager", ...(props.carryCertificate ? [backupRepository.namespace] : [])],
    summary: `shared Gateway on ${props.ingressIp}: HTTP→HTTPS redirect, HTTPS for *.${props.domain} with a wildcard certificate`,
    manifests: (chart) => gatewayObjects(chart, props),
  };
}

function gatewayObjects(chart: HomelabChart, props: GatewayProps): void {
  const tlsSecret = wildcardCertificate.secret;
  // A rebuild restores the certificate it had before this is created (a hook, an earlier wave).
  if (props.carryCertificate) certificateCarryRestore(chart);
  new Certificate(chart, "wildcard", {
    // Let's Encrypt may refuse or rate-limit an order (5 certificates per set of names a week) and
    // cert-manager then waits 1 to 32 hours before the next; Argo CD calls a Certificate that is
    // not Ready and not issuing Degraded (argo-cd@v3.4.4:
    // resource_customizations/cert-manager.io/Certificate/health.lua#L14-L19). So, in the
    // Gateway's own wave (an Application's last wave is applied without waiting for health,
    // gitops-engine/pkg/sync/sync_context.go#L688-L697), left out of the Application's health
    // (controller/health.go#L40-L43), and with a self-signed temporary certificate in its Secret
    // until the real one arrives: the HTTPS listener resolves its reference at once and the
    // Gateway turns Healthy (cert-manager@v1.21.1: pkg/controller/certificates/issuing/
    // issuing_controller.go#L396-L402, temporary.go#L38-L90; the Gateway health.lua#L47-L63).
    // `npm run check` rule certificate-gate.
    metadata: {
      name: wildcardCertificate.name,
      annotations: { "argocd.argoproj.io/ignore-healthcheck": "true", "cert-manager.io/issue-temporary-certificate": "true" },
    },
    spec: {
      secretName: tlsSecret,
      dnsNames: [props.domain, `*.${props.domain}`],
      issuerRef: { kind: "ClusterIssuer", name: props.issuer },
    },
  });
  new Gateway(chart, "gateway", {
    metadata: { name: sharedGateway.name },
    spec: {
      gatewayClassName: "cilium",
      // Cilium LB IPAM gives the Gateway's Service this address from the pool.
      infrastructure: { annotations: { "lbipam.cilium.io/ips": props.ingressIp } },
      listeners: [
        { name: sharedGateway.httpListener, protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: From.SAME } } },
        {
          name: sharedGateway.httpsListener,
          protocol: "HTTPS",
          port: 443,
          hostname: `*.${props.domain}`,
          tls: { mode: TlsMode.TERMINATE, certificateRefs: [{ kind: "Secret", name: tlsSecret }] },
          allowedRoutes: { namespaces: { from: From.ALL } },
        },
      ],
    },
  });
  kubeObject(HttpRoute, chart, "https-redirect", {
    metadata: { name: "https-redirect" },
    spec: {
      parentRefs: [{ name: sharedGateway.name, sectionName: sharedGateway.httpListener }],
      rules: [{ filters: [{ type: FilterType.REQUEST_REDIRECT, requestRedirect: { scheme: Scheme.HTTPS, statusCode: StatusCode.VALUE_301 } }] }],
    },
  });
  // In the wave of its Gateway: Argo CD's HTTPRoute health is Progressing until the route has
  // a status (argo-cd@v3.4.4:resource_customizations/gateway.networking.k8s.io/HTTPRoute/health.lua#L96-L98).
  if (props.argocdHost) {
    kubeObject(HttpRoute, chart, "argocd-ui", {
      metadata: { name: "argocd-server", namespace: namespaces.argocd },
      spec: {
        parentRefs: [{ name: sharedGateway.name, namespace: sharedGateway.namespace, sectionName: sharedGateway.httpsListener }],
        hostnames: [props.argocdHost],
        rules: [{ backendRefs: [{ name: "argocd-server", port: 80 }] }],
      },
    });
  }
}
