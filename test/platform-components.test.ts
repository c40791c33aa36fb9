// Platform components on their own, from flat props: each renders its chart (namespace and
// objects) and its Helm source as a user of the constructs would see them.
import { Testing } from "cdk8s";
import { platformNamespaces } from "../charts/argocd/apps-chart";
import { parse } from "yaml";
import {
  PlatformComponentChart,
  amdGpuPlugin,
  argocd,
  certManager,
  cilium,
  externalDns,
  gateway,
  intelGpuPlugin,
  kured,
  longhorn,
  nvidiaDevicePlugin,
  systemUpgrade,
  backupRepositoryComponent,
  snapshotController,
  volsync,
  victoriaLogs,
  victoriaMetrics,
  type PlatformComponent,
} from "../lib";
import { factsOf } from "../charts/platform/component";
import { platformComponents } from "../charts/platform";
import { parseCluster } from "../cluster/load";
import { overlayReference } from "./helpers/spec-fixture";
import { gitSources, images } from "../charts/platform/versions";

const render = (component: PlatformComponent) => Testing.synth(new PlatformComponentChart(Testing.app(), component.name, component));

describe("platform components from flat props", () => {
  it("cilium: an LB pool and an L2 policy for the given range, and API access without kube-proxy", () => {
    const component = cilium({ apiServer: { host: "127.0.0.1", port: 6444 }, loadBalancerPool: { start: "10.0.0.100", stop: "10.0.0.200" } });
    expect(component.helm?.values).toMatchObject({ k8sServiceHost: "127.0.0.1", k8sServicePort: 6444, kubeProxyReplacement: true });
    expect(component.helm?.chart.version).toBe("1.18.2");
    const objects = render(component);
    // k3s's HelmChart of the bootstrap, marked unmanaged once Argo CD takes over (infra/bootstrap/handover.ts).
    expect(objects.map((o) => o.kind)).toEqual(["HelmChart", "CiliumLoadBalancerIPPool", "CiliumL2AnnouncementPolicy"]);
    expect(objects[1].spec.blocks).toEqual([{ start: "10.0.0.100", stop: "10.0.0.200" }]);
  });

  it("cert-manager: both Let's Encrypt issuers for the zone, DNS-01 through the bootstrap's Cloudflare Secret", () => {
    const objects = render(certManager({ acmeEmail: "ops@example.com", zone: "example.com", issuer: "letsencrypt-staging", version: "v1.20.0" }));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/cert-manager",
      "ClusterIssuer/letsencrypt-staging",
      "ClusterIssuer/letsencrypt-production",
    ]);
    expect(objects[1].spec.acme.solvers[0]).toEqual({
      selector: { dnsZones: ["example.com"] },
      dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-api-token", key: "api-token" } } },
    });
  });

  it("external-dns: filters on the zone Cloudflare keeps, and publishes only the shared Gateway's routes", () => {
    const values: any = externalDns({ zone: "example.com", domain: "lab.example.com", ownerId: "lab" }).helm?.values;
    // v0.15 keeps a zone only if the filter matches its name (cloudflare.go#L237-L242): lab.example.com would drop example.com.
    expect(values.domainFilters).toEqual(["example.com"]);
    // Names are bounded by the shared Gateway's listeners (*.lab.example.com), the only Gateway in its namespace.
    expect(values.extraArgs).toEqual(["--gateway-namespace=gateway"]);
    expect(externalDns({ zone: "example.com", domain: "example.com", ownerId: "lab", proxied: true }).helm?.values).toMatchObject({
      domainFilters: ["example.com"],
      extraArgs: ["--gateway-namespace=gateway", "--cloudflare-proxied"],
    });
  });

  it("a lab without network.dnsZone publishes in its domain, which is then a zone of its own", () => {
    const cluster = parseCluster(overlayReference({ domain: "home.example.org" }, ["network.dnsZone"]), "own-zone.yaml");
    const byName = new Map(platformComponents(cluster).map((c) => [c.name, c]));
    expect((byName.get("external-dns")!.helm!.values as any).domainFilters).toEqual(["home.example.org"]);
    const issuers = render(byName.get("cert-manager")!).filter((o) => o.kind === "ClusterIssuer");
    expect(issuers.map((i) => i.spec.acme.solvers[0].selector.dnsZones)).toEqual([["home.example.org"], ["home.example.org"]]);
  });

  it("gateway: a wildcard certificate from the chosen issuer and the Gateway on the ingress address", () => {
    const objects = render(gateway({ domain: "example.com", ingressIp: "10.0.0.100", issuer: "letsencrypt-staging" }));
    const cert = objects.find((o) => o.kind === "Certificate");
    expect(cert.spec).toMatchObject({ dnsNames: ["example.com", "*.example.com"], issuerRef: { name: "letsencrypt-staging" } });
    // Nothing waits for the certificate: the Gateway's wave, out of the Application's health, and a
    // temporary certificate in its Secret until Let's Encrypt issues one.
    expect(cert.metadata.annotations).toEqual({
      "argocd.argoproj.io/ignore-healthcheck": "true",
      "cert-manager.io/issue-temporary-certificate": "true",
    });
    expect(objects.find((o) => o.kind === "Gateway").spec.infrastructure.annotations).toEqual({ "lbipam.cilium.io/ips": "10.0.0.100" });
  });

  it("argocd, longhorn, kured and system-upgrade take what their props say", () => {
    expect(argocd({ domain: "example.com" }).helm?.values).toMatchObject({ global: { domain: "argocd.example.com" } });
    expect(longhorn({ replicaCount: 2, snapshotRetain: 3 }).helm?.values).toMatchObject({ persistence: { defaultClassReplicaCount: 2 } });
    expect(render(longhorn({ replicaCount: 2, snapshotRetain: 3 })).find((o) => o.kind === "RecurringJob").spec.retain).toBe(3);
    // The GPU and VPN workers' taints, for the manager and (through the setting) the CSI plugin and instance managers.
    expect(longhorn({ replicaCount: 2, snapshotRetain: 3 }).helm?.values).toMatchObject({
      longhornManager: {
        tolerations: [
          { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
          { key: "homelab.dev/vpn", operator: "Equal", value: "true", effect: "NoSchedule" },
        ],
      },
      defaultSettings: { taintToleration: "nvidia.com/gpu=true:NoSchedule;homelab.dev/vpn=true:NoSchedule" },
    });
    expect(kured({ rebootDays: ["mo"], startTime: "01:00", endTime: "03:00", timeZone: "Europe/Berlin" }).helm?.values).toMatchObject({
      configuration: { rebootDays: ["mo"], timeZone: "Europe/Berlin" },
    });
    const plans = render(systemUpgrade({ k3sVersion: "v1.33.5+k3s1" })).filter((o) => o.kind === "Plan");
    expect(plans.map((p) => p.spec.version)).toEqual(["v1.33.5+k3s1", "v1.33.5+k3s1"]);
    // After the controller that registers their CRD.
    expect(plans.map((p) => p.metadata.annotations["argocd.argoproj.io/sync-wave"])).toEqual(["1", "1"]);
  });

  it("system-upgrade: the Plans pass over nodes already at their version, and the controller runs the pinned release's image", () => {
    const component = systemUpgrade({ k3sVersion: "v1.33.5+k3s1" });
    const plans = render(component).filter((o) => o.kind === "Plan");
    // The controller selects every node lacking the Plan's hash label, whatever it runs (plan.go#L170-L227 at v0.14.2).
    for (const plan of plans)
      expect(plan.spec.nodeSelector.matchExpressions).toContainEqual({ key: "homelab.dev/k3s-version", operator: "NotIn", values: ["v1.33.5-k3s1"] });
    // The tag's kustomization runs v0.14.0; the release builds and names v0.14.2 (scripts/package-controller#L32).
    expect(component.git).toMatchObject({ path: "./", version: "v0.14.2", images: ["rancher/system-upgrade-controller:v0.14.2"] });
    expect(images.systemUpgradeController.split(":")[1]).toBe(gitSources.systemUpgradeController.version);
  });
});

describe("the platform project's destinations come from what the components write, charts included", () => {
  it("admits the namespaces charts create or write into (chart facts), not only the release namespaces", () => {
    const components = [
      cilium({ apiServer: { host: "127.0.0.1", port: 6444 }, loadBalancerPool: { start: "10.0.0.100", stop: "10.0.0.200" } }),
      certManager({ acmeEmail: "ops@example.com", zone: "example.com", issuer: "letsencrypt-staging" }),
    ];
    // cilium-secrets: cilium 1.18.2's secrets namespace; kube-system also for cert-manager's leader-election Roles.
    expect(platformNamespaces(components)).toEqual(["cert-manager", "cilium-secrets", "kube-system"]);
    expect(platformNamespaces([certManager({ acmeEmail: "ops@example.com", zone: "example.com", issuer: "letsencrypt-staging" })])).toEqual([
      "cert-manager",
      "kube-system",
    ]);
  });
});

describe("GPU plugins and collectors land where they are needed (chart facts applied to our values)", () => {
  const workloads = (component: PlatformComponent) => factsOf(component)!.workloads;

  it("amd-gpu: on AMD GPU workers only, tolerating their taint (its keys are node_selector_enabled/node_selector)", () => {
    for (const w of workloads(amdGpuPlugin())) {
      expect(w.nodeSelector).toEqual({ "kubernetes.io/arch": "amd64", "homelab.dev/gpu-vendor": "amd" });
      expect(w.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    }
  });

  it("intel: the operator runs on any worker and waits for cert-manager, whose Certificate it renders", () => {
    const intel = intelGpuPlugin();
    expect(intel.dependsOn).toEqual(["cert-manager"]);
    expect(workloads(intel)[0].nodeSelector).toEqual({ "kubernetes.io/arch": "amd64" });
    expect(factsOf(intel)!.objects.map((o) => o.kind)).toEqual(["Certificate", "Issuer"]);
  });

  it("node-exporter and Vector tolerate every taint, control planes included", () => {
    const all = [{ operator: "Exists" }];
    expect(workloads(victoriaMetrics({ retention: "30d", storageGiB: 50 })).find((w) => w.kind === "DaemonSet")!.tolerations).toEqual(all);
    expect(workloads(victoriaLogs({ retention: "14d", storageGiB: 20 })).find((w) => w.kind === "DaemonSet")!.tolerations).toEqual(all);
  });
});

describe("nvidia-device-plugin", () => {
  it("advertises whole GPUs by default, and each GPU N times with time-slicing (the config the chart embeds)", () => {
    expect(nvidiaDevicePlugin().helm?.values).not.toHaveProperty("config");
    expect(factsOf(nvidiaDevicePlugin())!.deviceResources).toEqual([
      { resource: "nvidia.com/gpu", workload: "nvidia-device-plugin", gpuVendor: "nvidia", perDevice: 1 },
    ]);
    const shared = nvidiaDevicePlugin({ timeSlicing: 3 });
    const config = (shared.helm?.values as any).config;
    expect(config.default).toBe("time-slicing");
    expect(parse(config.map["time-slicing"])).toEqual({
      version: "v1",
      sharing: { timeSlicing: { failRequestsGreaterThanOne: true, resources: [{ name: "nvidia.com/gpu", replicas: 3 }] } },
    });
    expect(factsOf(shared)!.deviceResources[0].perDevice).toBe(3);
  });
});

describe("app backups' components", () => {
  const backups = {
    sharedDirectory: "tank",
    hostDirectory: "/tank/volsync",
    guestDirectory: "/mnt/tank/volsync",
    schedule: "0 4 * * *",
    retain: { daily: 7 },
    namespaces: ["media", "tools"],
  };

  it("snapshot-controller: the tag's controller with the release's image, its CRDs, and Longhorn's snap class", () => {
    const component = snapshotController({ longhorn: true });
    expect(component.git).toMatchObject({
      path: "deploy/kubernetes/snapshot-controller",
      version: "v7.0.2",
      images: ["registry.k8s.io/sig-storage/snapshot-controller:v7.0.2"],
    });
    expect(component.extraGitPaths).toEqual([{ path: "client/config/crd" }]);
    const [vsc] = render(component);
    // type snap: a Longhorn snapshot; an empty type would be a Longhorn backup, which needs a backup target.
    expect(vsc).toMatchObject({ kind: "VolumeSnapshotClass", driver: "driver.longhorn.io", deletionPolicy: "Delete", parameters: { type: "snap" } });
    expect(factsOf(component)?.crds.map((c) => c.kind)).toEqual(["VolumeSnapshotClass", "VolumeSnapshotContent", "VolumeSnapshot"]);
    expect(render(snapshotController({ longhorn: false }))).toEqual([]);
  });

  it("volsync: the 0.16.0 chart with its CRDs, after the snapshot CRDs it watches, applied server-side", () => {
    const component = volsync({ schedule: "0 4 * * *", retain: { daily: 7, weekly: 4 }, repository: "tank:/tank/volsync" });
    expect(component).toMatchObject({ namespace: "volsync-system", podSecurity: "restricted", dependsOn: ["snapshot-controller"], serverSideApply: true });
    expect(component.helm?.chart).toEqual({ repoURL: "https://backube.github.io/helm-charts", chart: "volsync", version: "0.16.0" });
    expect(factsOf(component)?.crds.map((c) => `${c.group}/${c.kind}`)).toEqual([
      "volsync.backube/ReplicationSource",
      "volsync.backube/ReplicationDestination",
    ]);
    expect(component.summary).toMatch(/keep 7 daily, 4 weekly\) to tank:\/tank\/volsync/);
  });

  it("backup-repository: refuses to serve without the marker, from the shared directory only, to VolSync's movers only", () => {
    const objects = render(backupRepositoryComponent(backups));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/backup-repository",
      "Deployment/rest-server",
      "Service/rest-server",
      "NetworkPolicy/rest-server",
    ]);
    const pod = objects[1].spec.template.spec;
    // Never DirectoryOrCreate: an unmounted share has no such directory, and the pod does not start.
    expect(pod.volumes).toEqual([{ name: "repositories", hostPath: { path: "/mnt/tank/volsync", type: "Directory" } }]);
    expect(pod.initContainers[0].command.join(" ")).toMatch(
      /test -f \/repositories\/\.homelab-backup-repository \|\| \{ echo .*install -d -o 65532 -g 65532 -m 0700 \/tank\/volsync/,
    );
    expect(pod.containers[0].readinessProbe.exec.command).toEqual(["test", "-f", "/repositories/.homelab-backup-repository"]);
    expect(pod.containers[0].command).toEqual(["rest-server", "--path", "/repositories", "--listen", ":8000", "--no-auth"]);
    expect(objects[0].metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(objects[3].spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["media", "tools"] }] },
            podSelector: { matchLabels: { "homelab.dev/backup-mover": "true" } },
          },
        ],
        ports: [{ port: 8000, protocol: "TCP" }],
      },
    ]);
  });
});
