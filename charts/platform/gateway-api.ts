// Gateway API CRDs, applied from the upstream repository at a pinned tag: the standard channel
// and the experimental TLSRoute, which Cilium 1.18's operator requires before it starts its
// Gateway controller. The bootstrap installs the very same files before Cilium (gatewayApiBootstrapFiles),
// this Application keeps them afterwards.
import type { VersionProps } from "./cluster-ops";
import type { PlatformComponent } from "./component";
import { noFacts, type CrdFact, type GitSourceView, type UpstreamFacts } from "./upstream-facts";
import { gitSources } from "./versions";

export function gatewayApi(props: VersionProps = {}): PlatformComponent {
  const version = props.version ?? gitSources.gatewayApi.version;
  return {
    name: "gateway-api",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    git: { ...gitSources.gatewayApi, version },
    // The experimental directory holds a kustomization.yaml: only an include keeps Argo CD from
    // reading it as Kustomize and applying every experimental CRD (argo-cd@v3.4.4:
    // pkg/apis/application/v1alpha1/types.go#L3577-L3603, ExplicitType).
    extraGitPaths: [tlsRoute],
    facts: gatewayApiFacts,
    serverSideApply: true, // the HTTPRoute CRD exceeds client-side apply's annotation limit
    summary: `Gateway API ${version} CRDs (standard channel, and the experimental TLSRoute Cilium requires)`,
  };
}

const tlsRoute = { path: "config/crd/experimental", include: "gateway.networking.k8s.io_tlsroutes.yaml" } as const;

// Facts of kubernetes-sigs/gateway-api@v1.3.0:config/crd/: the CRD files per channel directory
// and the versions each serves (checked against the reference pack's v1.3.0 files by a test).
const group = "gateway.networking.k8s.io";
export const gatewayApiCrdFiles: Readonly<Record<string, Readonly<Record<string, CrdFact>>>> = {
  "config/crd/standard": {
    "gateway.networking.k8s.io_gatewayclasses.yaml": { group, kind: "GatewayClass", versions: ["v1", "v1beta1"] },
    "gateway.networking.k8s.io_gateways.yaml": { group, kind: "Gateway", versions: ["v1", "v1beta1"] },
    "gateway.networking.k8s.io_httproutes.yaml": { group, kind: "HTTPRoute", versions: ["v1", "v1beta1"] },
    "gateway.networking.k8s.io_grpcroutes.yaml": { group, kind: "GRPCRoute", versions: ["v1"] },
    "gateway.networking.k8s.io_referencegrants.yaml": { group, kind: "ReferenceGrant", versions: ["v1beta1"] },
  },
  // Only TLSRoute is listed: it is the one experimental CRD we install (config/crd/experimental
  // holds 11 CRDs and a kustomization.yaml, so its directory is only ever read with an include).
  "config/crd/experimental": {
    "gateway.networking.k8s.io_tlsroutes.yaml": { group, kind: "TLSRoute", versions: ["v1alpha2"] },
  },
};

/** The CRDs a git source of the gateway-api repository applies. */
export function gatewayApiCrds(source: GitSourceView): CrdFact[] {
  const files = gatewayApiCrdFiles[source.path] ?? {};
  return Object.entries(files)
    .filter(([file]) => !source.include || source.include === file)
    .map(([, crd]) => crd);
}

export const gatewayApiFacts: UpstreamFacts = {
  upstream: "kubernetes-sigs/gateway-api",
  confirmedAt: "v1.3.0",
  of: (_values, { gitSources: sources }) => ({ ...noFacts, crds: sources.flatMap(gatewayApiCrds) }),
};

const releaseUrl = /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/(v[^/]+)\/standard-install\.yaml$/;
const rawUrl = /^https:\/\/raw\.githubusercontent\.com\/kubernetes-sigs\/gateway-api\/(v[^/]+)\/(config\/crd\/[a-z]+)\/([^/]+)$/;

/**
 * The CRDs a downloaded Gateway API file holds: a release's standard-install.yaml is every
 * config/crd/standard/gateway*.yaml of its tag concatenated (hack/build-install-yaml.sh at
 * v1.3.0); a raw file is that one CRD. Undefined for any other URL.
 */
export function gatewayApiDownloadCrds(url: string): { readonly version: string; readonly crds: CrdFact[] } | undefined {
  const release = releaseUrl.exec(url);
  if (release) return { version: release[1], crds: gatewayApiCrds({ path: "config/crd/standard" }) };
  const raw = rawUrl.exec(url);
  if (raw) return { version: raw[1], crds: gatewayApiCrds({ path: raw[2], include: raw[3] }) };
  return undefined;
}

/**
 * What the first server downloads into k3s's manifests directory before k3s starts: the same
 * CRDs as the Application, from the same tag. The names sort before cilium.yaml: k3s applies the
 * directory in sorted order, and Cilium's operator looks for the CRDs only once, at its start.
 */
export function gatewayApiBootstrapFiles(version = gitSources.gatewayApi.version): { readonly file: string; readonly url: string }[] {
  return [
    { file: "00-gateway-api-standard.yaml", url: `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml` },
    {
      file: "00-gateway-api-tlsroutes.yaml",
      url: `https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/${version}/${tlsRoute.path}/${tlsRoute.include}`,
    },
  ];
}
