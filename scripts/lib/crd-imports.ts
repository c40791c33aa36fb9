// The CRDs we emit objects of, imported with `cdk8s import` into imports/<module>.ts.
// cdk8s.yaml lists the same modules with their upstream URLs (for online users);
// `npm run import` generates from local copies of those exact files (offline).
// Not imported: ApplicationSet (we use app-of-apps), Issuer (ClusterIssuers only),
// GatewayClass (Cilium's chart creates its own), GRPCRoute, ReferenceGrant (not used).

import { existsSync } from "node:fs";
import { join } from "node:path";

export interface CrdImport {
  /** Module name: imports/<module>.ts */
  readonly module: string;
  /** File name in the offline copy (shared/reference/crds). */
  readonly file: string;
  readonly url: string;
  /** Where the reference pack keeps it when not among its crds/ (a path beside that folder). @default only crds/ */
  readonly besideCrds?: string;
}

export const githubRaw = "https://raw.githubusercontent.com";
// Argo CD's CRDs are available offline only at v3.5.1 (the chart pins argo-cd 10.1.1, Argo CD v3.4.4).
const argo = `${githubRaw}/argoproj/argo-cd/v3.5.1/manifests/crds`;
const certManager = `${githubRaw}/cert-manager/cert-manager/v1.21.1/deploy/crds`;
/** The Gateway API release of the bindings only: the cluster installs v1.3.0, which crd-schemas.ts validates against. */
export const gatewayApiBindings = `${githubRaw}/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard`;
const cilium = `${githubRaw}/cilium/cilium/v1.18.2/pkg/k8s/apis/cilium.io/client/crds`;
const helmController = `${githubRaw}/k3s-io/helm-controller/v0.17.7/pkg/crds/yaml/generated`;
// The chart's own copy at the release the platform pins (charts/platform/versions.ts: sealed-secrets 2.18.5).
const sealedSecrets = `${githubRaw}/bitnami-labs/sealed-secrets/helm-v2.18.5/helm/sealed-secrets/crds`;

export const crdImports: readonly CrdImport[] = [
  { module: "argocd-application", file: "argo-cd-application-crd.yaml", url: `${argo}/application-crd.yaml` },
  { module: "argocd-appproject", file: "argo-cd-appproject-crd.yaml", url: `${argo}/appproject-crd.yaml` },
  { module: "cert-manager-certificate", file: "cert-manager-cert-manager.io_certificates.yaml", url: `${certManager}/cert-manager.io_certificates.yaml` },
  { module: "cert-manager-clusterissuer", file: "cert-manager-cert-manager.io_clusterissuers.yaml", url: `${certManager}/cert-manager.io_clusterissuers.yaml` },
  {
    module: "gateway-api-gateway",
    file: "gateway-api-gateway.networking.k8s.io_gateways.yaml",
    url: `${gatewayApiBindings}/gateway.networking.k8s.io_gateways.yaml`,
  },
  {
    module: "gateway-api-httproute",
    file: "gateway-api-gateway.networking.k8s.io_httproutes.yaml",
    url: `${gatewayApiBindings}/gateway.networking.k8s.io_httproutes.yaml`,
  },
  { module: "cilium-lb-ipam", file: "cilium-ciliumloadbalancerippools.yaml", url: `${cilium}/v2/ciliumloadbalancerippools.yaml` },
  { module: "cilium-l2-announcement", file: "cilium-ciliuml2announcementpolicies.yaml", url: `${cilium}/v2alpha1/ciliuml2announcementpolicies.yaml` },
  { module: "k3s-helmchart", file: "helm-controller-helm.cattle.io_helmcharts.yaml", url: `${helmController}/helm.cattle.io_helmcharts.yaml` },
  {
    module: "sealed-secrets-sealedsecret",
    file: "sealed-secrets-2.18.5-bitnami.com_sealedsecrets.yaml",
    url: `${sealedSecrets}/bitnami.com_sealedsecrets.yaml`,
    besideCrds: "sealed-secrets-2.18.5/bitnami.com_sealedsecrets.yaml",
  },
];

/** The offline copy of an upstream file: in the CRD folder, else where the reference pack keeps it beside that folder. */
export function crdSourceFile(crdsDir: string, source: { readonly file: string; readonly besideCrds?: string }): string {
  const inFolder = join(crdsDir, source.file);
  return existsSync(inFolder) || !source.besideCrds ? inFolder : join(crdsDir, "..", source.besideCrds);
}
