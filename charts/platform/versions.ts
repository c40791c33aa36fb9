// Every third-party chart and manifest version the platform uses, pinned, in one place.
// Each line carries a Renovate annotation (see renovate.json's regex manager), so an
// update is a one-line pull request. The spec can override a version per component.

export interface HelmChartRef {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

export interface GitRef {
  readonly repoURL: string;
  readonly path: string;
  readonly version: string;
}

export const helmCharts = {
  // renovate: datasource=helm registryUrl=https://helm.cilium.io depName=cilium
  cilium: { repoURL: "https://helm.cilium.io", chart: "cilium", version: "1.18.2" },
  // renovate: datasource=helm registryUrl=https://charts.jetstack.io depName=cert-manager
  certManager: { repoURL: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.21.1" },
  // Chart 2.18.5 = controller 0.36.6 (helm/sealed-secrets/Chart.yaml appVersion).
  // renovate: datasource=helm registryUrl=https://bitnami-labs.github.io/sealed-secrets depName=sealed-secrets
  sealedSecrets: { repoURL: "https://bitnami-labs.github.io/sealed-secrets", chart: "sealed-secrets", version: "2.18.5" },
  // renovate: datasource=helm registryUrl=https://kubernetes-sigs.github.io/external-dns depName=external-dns
  externalDns: { repoURL: "https://kubernetes-sigs.github.io/external-dns", chart: "external-dns", version: "1.15.0" },
  // renovate: datasource=helm registryUrl=https://charts.longhorn.io depName=longhorn
  longhorn: { repoURL: "https://charts.longhorn.io", chart: "longhorn", version: "1.7.2" },
  // renovate: datasource=helm registryUrl=https://argoproj.github.io/argo-helm depName=argo-cd
  argocd: { repoURL: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "10.1.1" },
  // renovate: datasource=helm registryUrl=https://victoriametrics.github.io/helm-charts depName=victoria-metrics-k8s-stack
  victoriaMetrics: { repoURL: "https://victoriametrics.github.io/helm-charts", chart: "victoria-metrics-k8s-stack", version: "0.27.6" },
  // renovate: datasource=helm registryUrl=https://victoriametrics.github.io/helm-charts depName=victoria-logs-single
  victoriaLogs: { repoURL: "https://victoriametrics.github.io/helm-charts", chart: "victoria-logs-single", version: "0.11.5" },
  // renovate: datasource=helm registryUrl=https://kubernetes-sigs.github.io/metrics-server depName=metrics-server
  metricsServer: { repoURL: "https://kubernetes-sigs.github.io/metrics-server", chart: "metrics-server", version: "3.13.0" },
  // renovate: datasource=helm registryUrl=https://kubereboot.github.io/charts depName=kured
  kured: { repoURL: "https://kubereboot.github.io/charts", chart: "kured", version: "5.3.2" },
  // renovate: datasource=helm registryUrl=https://nvidia.github.io/k8s-device-plugin depName=nvidia-device-plugin
  nvidiaDevicePlugin: { repoURL: "https://nvidia.github.io/k8s-device-plugin", chart: "nvidia-device-plugin", version: "0.17.0" },
  // renovate: datasource=helm registryUrl=https://intel.github.io/helm-charts depName=intel-device-plugins-operator
  intelGpuPlugin: { repoURL: "https://intel.github.io/helm-charts", chart: "intel-device-plugins-operator", version: "0.32.1" },
  // renovate: datasource=helm registryUrl=https://rocm.github.io/k8s-device-plugin depName=amd-gpu
  amdGpuPlugin: { repoURL: "https://rocm.github.io/k8s-device-plugin", chart: "amd-gpu", version: "0.16.0" },
  // renovate: datasource=helm registryUrl=https://backube.github.io/helm-charts depName=volsync
  volsync: { repoURL: "https://backube.github.io/helm-charts", chart: "volsync", version: "0.16.0" },
} satisfies Record<string, HelmChartRef>;

export const gitSources = {
  // Cilium 1.18 implements Gateway API v1.3.0; its standard-channel CRDs, straight from upstream.
  // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api
  gatewayApi: { repoURL: "https://github.com/kubernetes-sigs/gateway-api", path: "config/crd/standard", version: "v1.3.0" },
  // The controller's own Kustomization at the repository's root (namespace, RBAC, deployment); it
  // registers the Plan CRD itself. Its image is pinned below: the tag's kustomization names an
  // older build. "./", not ".": a YAML 1.1 reader may take a plain "." for a float; Argo CD joins
  // either onto the checkout (argo-cd@v3.4.4: util/app/path/path.go#L15-L33).
  // renovate: datasource=github-tags depName=rancher/system-upgrade-controller
  systemUpgradeController: { repoURL: "https://github.com/rancher/system-upgrade-controller", path: "./", version: "v0.14.2" },
  // The CSI snapshot controller's Kustomization (its CRDs are a second path of the same tag): the
  // release Longhorn 1.7.2 documents for its CSI snapshots. Its image is pinned below, because
  // each tag's kustomization names the build of an older release.
  // renovate: datasource=github-tags depName=kubernetes-csi/external-snapshotter
  externalSnapshotter: { repoURL: "https://github.com/kubernetes-csi/external-snapshotter", path: "deploy/kubernetes/snapshot-controller", version: "v7.0.2" },
} satisfies Record<string, GitRef>;

/** Container images and packages installed outside any chart. */
export const images = {
  // renovate: datasource=docker depName=ghcr.io/kube-vip/kube-vip
  kubeVip: "ghcr.io/kube-vip/kube-vip:v0.8.9",
  /**
   * The build of the pinned system-upgrade-controller tag. The tag's kustomization.yaml and
   * manifests/system-upgrade-controller.yaml#L69 still run v0.14.0; the release's own manifest
   * sets the image to the tag it builds (scripts/package-controller#L32 at v0.14.2:
   * `kustomize edit set image …:${VERSION}`). Renovate groups it with the git tag above.
   */
  // renovate: datasource=docker depName=rancher/system-upgrade-controller
  systemUpgradeController: "rancher/system-upgrade-controller:v0.14.2",
  /** The build of gitSources.externalSnapshotter's release; move both together. */
  // renovate: datasource=docker depName=registry.k8s.io/sig-storage/snapshot-controller
  snapshotController: "registry.k8s.io/sig-storage/snapshot-controller:v7.0.2",
  /** restic's REST server, which serves the app backups' repositories (charts/platform/backup-repository.ts). */
  // renovate: datasource=docker depName=restic/rest-server
  restServer: "restic/rest-server:0.14.0",
  /**
   * restic itself, for the wildcard certificate's carry across a rebuild (charts/platform/certificate-carry.ts):
   * alpine with busybox sh and timeout, entrypoint restic (restic/restic@v0.18.1: docker/Dockerfile.release, which the release workflow builds, docker.yml#L68).
   */
  // From GitHub's registry, where restic's release workflow also publishes (.github/workflows/docker.yml
  // #L12 at v0.18.1): a rebuild pulls many images at once, past Docker Hub's anonymous limit.
  // renovate: datasource=docker depName=ghcr.io/restic/restic
  restic: "ghcr.io/restic/restic:0.18.1",
  /**
   * kubectl with bash, jq and coreutils (kubernetes/kubernetes: build/server-image/kubectl/Dockerfile,
   * debian-base; entrypoint kubectl), for the same carry. Within one minor of k3s.version.
   */
  // renovate: datasource=docker depName=registry.k8s.io/kubectl
  kubectl: "registry.k8s.io/kubectl:v1.33.5",
  /** Tagged by the controller with the Plan's version (k3s.version, "+" written as "-"). */
  k3sUpgrade: "rancher/k3s-upgrade",
} as const;

/** Packages of Ubuntu 24.04 (noble) the nodes install at first boot. */
export const nodePackages = {
  // The NVIDIA server driver branch (infra/bootstrap/nvidia-driver.ts installs <branch>-server).
  // 580: a current server branch on noble and the one Ubuntu moved end-of-life 570-server to
  // (canonical/nvidia-graphics-drivers, branch
  // 580-server-noble at 24d7353e: 580.126.20-0ubuntu0.24.04.2; 570-server-noble at d27e751b and
  // 590-server-noble at ed3a6975 are transitional; 535-server and 595-server are current too).
  // Renovate reads that repository's <branch>-server-noble branches and proposes a newer one on
  // the Dependency Dashboard (renovate.json); move only to a branch noble still supports.
  // renovate: datasource=git-refs depName=https://github.com/canonical/nvidia-graphics-drivers
  nvidiaServerBranch: "580",
  // NVIDIA's container toolkit on GPU workers: its four packages (nvidia-container-toolkit,
  // -base, libnvidia-container-tools, libnvidia-container1) at this release, "-1" their Debian
  // revision (NVIDIA's install guide pins all four; its release notes list them per release).
  // 1.17.8 fixes CVE-2025-23266 (affected: up to 1.17.7, CVE record). A new release reaches new
  // GPU workers only; on a running one, apt-get install the four at the new version.
  // renovate: datasource=github-releases depName=NVIDIA/nvidia-container-toolkit
  nvidiaContainerToolkit: "1.17.8",
} as const;
