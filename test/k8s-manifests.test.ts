// dist/k8s of the reference lab: every document valid against its upstream schema, the
// Argo CD structure and ordering right, and every reference resolving.
import { readFileSync } from "node:fs";
import { parseCluster } from "../cluster/load";
import { clusterScopedKinds, synthManifests } from "../charts/k8s-app";
import { lastWave, syncWaves } from "../charts/argocd/waves";
import { OutputWriter } from "../scripts/lib/output-writer";
import { checkReferences } from "../scripts/lib/validate/kubernetes-references";
import { KubernetesSchemas, kindsWithoutOfflineSchema } from "../scripts/lib/validate/kubernetes-schemas";
import { crdDirectory, readRendered, referenceContext } from "../scripts/lib/validate/rendered-k8s";
import { referenceSpec, root } from "./helpers/spec-fixture";
import { parse } from "yaml";
import { autoDeployCharts } from "../infra/bootstrap/auto-deploy";
import { runHealthLua } from "../scripts/lib/check/lua-health";
import { scratch } from "./helpers/tree";

const cluster = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const k8sDir = scratch("k8s-reference");
synthManifests(cluster, k8sDir, new OutputWriter());
const rendered = readRendered(k8sDir);
const schemas = new KubernetesSchemas(crdDirectory(root));
const objects = rendered.map((r) => r.object);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const application = (name: string) => byKind("Application").find((a) => a.metadata.name === name)! as any;
const wave = (name: string) => Number(application(name).metadata.annotations["argocd.argoproj.io/sync-wave"]);

const withoutSchema = new Set(Object.keys(kindsWithoutOfflineSchema));

describe("every rendered document validates against its upstream schema", () => {
  it.each(rendered.map((r) => [`${r.file} ${r.object.kind} ${r.object.metadata.name}`, r.object] as const))("%s", (_name, object) => {
    const verdict = schemas.validate(object);
    if (verdict.status === "no-schema") expect(withoutSchema).toContain(object.kind);
    else expect(verdict).toEqual({ status: "valid" });
  });

  it("catches an invalid custom resource and an unknown field", () => {
    const gateway = structuredClone(byKind("Gateway")[0]) as any;
    gateway.spec.listeners[0].port = "eighty";
    gateway.spec.listenerz = [];
    const verdict = schemas.validate(gateway);
    expect(verdict.status).toBe("invalid");
    expect(JSON.stringify(verdict)).toContain("must be integer");
    expect(JSON.stringify(verdict)).toContain("listenerz");
  });

  it("catches an invalid built-in object", () => {
    const service = structuredClone(byKind("Service")[0]) as any;
    service.spec.ports[0].port = "eighty";
    expect(schemas.validate(service).status).toBe("invalid");
  });

  it("knows the scope of every CRD kind we emit (cluster-scoped kinds carry no namespace)", () => {
    for (const object of objects) {
      const scope = schemas.scopeOf(object.apiVersion, object.kind);
      if (scope)
        expect({ kind: object.kind, clusterScoped: clusterScopedKinds.has(object.kind) }).toEqual({ kind: object.kind, clusterScoped: scope === "Cluster" });
    }
  });
});

describe("references resolve", () => {
  const context = referenceContext(cluster, k8sDir, schemas);

  it("has no dangling path, route, issuer, namespace, duplicate or wave out of order", () => {
    expect(checkReferences(rendered, context)).toEqual([]);
  });

  it("reports each kind of broken reference", () => {
    const broken = structuredClone(rendered) as any[];
    const route = broken.find((r) => r.object.kind === "HTTPRoute" && r.object.metadata.name === "argocd-server").object;
    route.spec.parentRefs[0].sectionName = "httpz";
    const cert = broken.find((r) => r.object.kind === "Certificate").object;
    cert.spec.issuerRef.name = "letsencrypt-nope";
    const cilium = broken.find((r) => r.object.kind === "Application" && r.object.metadata.name === "cilium").object;
    cilium.metadata.annotations["argocd.argoproj.io/sync-wave"] = "0";
    cilium.spec.sources[1].path = "k8s/no-such-dir";
    broken.push(broken[0]);
    const problems = checkReferences(broken, context);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("has no listener httpz"),
        expect.stringContaining("ClusterIssuer letsencrypt-nope does not exist"),
        "Application cilium (wave 0) must come after gateway-api (wave 0)",
        "Application cilium: path k8s/no-such-dir does not exist in the rendered output",
        expect.stringContaining("is also defined in"),
      ]),
    );
  });
});

describe("Argo CD structure", () => {
  it("has one Application per platform component and per app directory, plus the root", () => {
    expect(
      byKind("Application")
        .map((a) => a.metadata.name)
        .sort(),
    ).toEqual(
      [
        "argocd",
        "backup-repository",
        "cert-manager",
        "cilium",
        "external-dns",
        "gateway",
        "gateway-api",
        "kured",
        "longhorn",
        "metrics-server",
        "namespaces",
        "nvidia-device-plugin",
        "root",
        "sealed-secrets",
        "snapshot-controller",
        "system-upgrade",
        "victoria-logs",
        "victoria-metrics",
        "volsync",
        ...cluster.apps.map((a) => a.name),
      ].sort(),
    );
  });

  it("orders by declared dependencies: Gateway API CRDs → Cilium → Gateway → apps; Longhorn → observability; projects first", () => {
    expect(wave("gateway-api")).toBeLessThan(wave("cilium"));
    expect(wave("cilium")).toBeLessThan(wave("gateway"));
    expect(wave("cert-manager")).toBeLessThan(wave("gateway"));
    expect(wave("longhorn")).toBeLessThan(wave("victoria-metrics"));
    // The backup controller after the CRDs it watches, and before every app it restores.
    expect(wave("snapshot-controller")).toBeLessThan(wave("volsync"));
    // Their Secrets are sealed: the controller decrypts them first.
    for (const reader of ["cert-manager", "external-dns", "victoria-metrics", "namespaces"]) expect(wave("sealed-secrets")).toBeLessThan(wave(reader));
    for (const app of cluster.apps) {
      expect(wave(app.name)).toBeGreaterThan(
        Math.max(wave("namespaces"), wave("gateway"), wave("longhorn"), wave("cilium"), wave("volsync"), wave("snapshot-controller")),
      );
    }
    for (const project of byKind("AppProject")) expect(project.metadata.annotations?.["argocd.argoproj.io/sync-wave"]).toBe("-1");
  });

  it("puts what nothing waits for in the last wave, so no leaf holds back a wave it is not needed for", () => {
    const last = Math.max(...byKind("Application").map((a) => wave(a.metadata.name)));
    for (const leaf of [
      "kured",
      "metrics-server",
      "system-upgrade",
      "external-dns",
      "argocd",
      "victoria-metrics",
      "victoria-logs",
      // Plex's pod waits Pending for nvidia.com/gpu until the plugin advertises it: the plugin
      // goes with the apps, not before them (a GPU node without its driver holds no app's sync).
      "nvidia-device-plugin",
      ...cluster.apps.map((a) => a.name),
    ])
      expect({ leaf, wave: wave(leaf) }).toEqual({ leaf, wave: last });
  });

  it("numbers the last wave 10 whatever the depth of the dependencies, so nothing pruned from it is pruned after it", () => {
    // A prune runs in the wave its live object was annotated with (gitops-engine sync_context.go
    // #L1076-L1105): were the last wave 3 and later 2, an Application removed from wave 3 would
    // prune in a wave after the new last one, which Argo CD would then wait on.
    expect(syncWaves([{ name: "leaf", dependsOn: [] }]).get("leaf")).toBe(lastWave);
    const deep = syncWaves([
      { name: "crds", dependsOn: [] },
      { name: "cni", dependsOn: ["crds"] },
      { name: "app", dependsOn: ["cni"] },
      { name: "leaf", dependsOn: [] },
    ]);
    expect(Object.fromEntries(deep)).toEqual({ crds: 0, cni: 1, app: lastWave, leaf: lastWave });
    expect(lastWave).toBe(10);
    expect(Math.max(...byKind("Application").map((a) => wave(a.metadata.name)))).toBe(lastWave);
  });

  it("renders no RuntimeClass of its own: the nvidia one is k3s's, there before any Application syncs", () => {
    expect(byKind("RuntimeClass")).toEqual([]);
  });

  it("syncs every Application automatically with prune, self-heal and retries with the latest revision", () => {
    // Without limit where every source is a path of the rendered branch (a retry with the newest
    // commit sees every fix); a bounded number of times where a commit can change a source the
    // operation recorded (a chart version, Helm values, an upstream tag).
    const unlimited = new Set(["root", "namespaces", "gateway", "backup-repository", ...cluster.apps.map((a) => a.name)]);
    for (const app of byKind("Application") as any[]) {
      const { limit, refresh } = app.spec.syncPolicy.retry ?? {};
      expect({ name: app.metadata.name, automated: app.spec.syncPolicy.automated, limit, refresh }).toEqual({
        name: app.metadata.name,
        automated: { prune: true, selfHeal: true },
        limit: unlimited.has(app.metadata.name) ? -1 : 10,
        refresh: true,
      });
    }
    // retry.refresh exists from Argo CD v3.2.0 (chart argo-cd 9.1.0) on.
    expect(application("argocd").spec.sources[0]).toMatchObject({ chart: "argo-cd", targetRevision: "10.1.1" });
  });

  it("prunes in the wave of what it prunes (no PruneLast, which would make the last wave a waited one)", () => {
    for (const app of byKind("Application") as any[])
      expect({ name: app.metadata.name, options: app.spec.syncPolicy.syncOptions }).not.toEqual({
        name: app.metadata.name,
        options: expect.arrayContaining(["PruneLast=true"]),
      });
  });

  it("restores Argo CD's health check for Applications, so waves between them wait", () => {
    const values = application("argocd").spec.sources[0].helm.valuesObject;
    expect(values.configs.cm["resource.customizations.health.argoproj.io_Application"]).toContain("obj.status.health.status");
  });

  it("gives VolSync's kinds health checks, the same in the bootstrap's Argo CD as in its own Application", () => {
    const own = application("argocd").spec.sources[0].helm.valuesObject.configs.cm;
    const [helmChart] = autoDeployCharts(cluster).get("argocd")!.toJson();
    const bootstrap = parse(helmChart.spec.valuesContent).configs.cm;
    for (const kind of ["ReplicationSource", "ReplicationDestination"]) {
      const key = `resource.customizations.health.volsync.backube_${kind}`;
      expect(own[key]).toContain("latestMoverStatus");
      expect(bootstrap[key]).toBe(own[key]);
    }
  });

  it("reports a restore Progressing until done, Healthy once done, Degraded while it keeps failing; a failed backup Degraded (Lua, as Argo CD runs it)", () => {
    const cm = application("argocd").spec.sources[0].helm.valuesObject.configs.cm;
    const restore = (status: unknown, manual = "restore-once") =>
      runHealthLua(cm["resource.customizations.health.volsync.backube_ReplicationDestination"], { spec: { trigger: { manual } }, status });
    const backup = (status: unknown) => runHealthLua(cm["resource.customizations.health.volsync.backube_ReplicationSource"], { spec: {}, status });
    expect(restore(undefined).status).toBe("Progressing");
    expect(restore({ conditions: [{ type: "Synchronizing", status: "True", reason: "SyncInProgress" }] }).status).toBe("Progressing");
    expect(restore({ latestImage: { kind: "VolumeSnapshot", name: "x" }, lastManualSync: "restore-once" })).toEqual({ status: "Healthy", message: "Restored" });
    // A new trigger (a point-in-time restore) is in progress again until it is done.
    expect(restore({ latestImage: { kind: "VolumeSnapshot", name: "x" }, lastManualSync: "restore-once" }, "restore-2").status).toBe("Progressing");
    expect(restore({ latestMoverStatus: { result: "Failed", logs: "…" } }).status).toBe("Degraded");
    expect(restore({ conditions: [{ type: "Synchronizing", status: "False", reason: "Error", message: "Secret media/x-restic not found" }] })).toEqual({
      status: "Degraded",
      message: "Secret media/x-restic not found",
    });
    expect(backup(undefined).status).toBe("Healthy");
    expect(backup({ lastSyncTime: "2026-11-20T04:00:12Z", latestMoverStatus: { result: "Successful" } })).toEqual({
      status: "Healthy",
      message: "Last backup 2026-11-20T04:00:12Z",
    });
    expect(backup({ latestMoverStatus: { result: "Failed" } }).status).toBe("Degraded");
  });

  it("lets a lab whose volumes predate the backups sync: claims keep their live dataSourceRef, restores their live trigger", () => {
    for (const app of cluster.apps) {
      const spec = application(app.name).spec;
      expect(spec.syncPolicy.syncOptions).toContain("RespectIgnoreDifferences=true");
      expect(spec.ignoreDifferences).toEqual(
        expect.arrayContaining([
          { group: "", kind: "PersistentVolumeClaim", jsonPointers: ["/spec/dataSourceRef", "/spec/dataSource"] },
          expect.objectContaining({ group: "volsync.backube", kind: "ReplicationDestination", jsonPointers: expect.arrayContaining(["/spec/trigger"]) }),
        ]),
      );
    }
  });

  it("marks every custom resource SkipDryRunOnMissingResource, and no built-in object", () => {
    for (const object of objects) {
      const marked = (object.metadata.annotations?.["argocd.argoproj.io/sync-options"] ?? "").split(",").includes("SkipDryRunOnMissingResource=true");
      const crdGroup = ["gateway.networking.k8s.io", "snapshot.storage.k8s.io"].some((group) => object.apiVersion.startsWith(`${group}/`));
      const builtin = !object.apiVersion.includes(".") || (/^[a-z.]*k8s\.io\//.test(object.apiVersion) && !crdGroup);
      expect({ kind: object.kind, marked }).toEqual({ kind: object.kind, marked: !builtin });
    }
  });

  it("pins every Helm chart and uses server-side apply for components with large CRDs", () => {
    for (const app of byKind("Application") as any[]) {
      for (const source of app.spec.sources ?? []) {
        if (source.chart) expect(source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
      }
    }
    expect(application("gateway-api").spec.syncPolicy.syncOptions).toContain("ServerSideApply=true");
    expect(application("gateway-api").spec.sources).toEqual([
      { repoURL: "https://github.com/kubernetes-sigs/gateway-api", path: "config/crd/standard", targetRevision: "v1.3.0" },
      // Cilium 1.18's operator requires TLSRoute; only this file of the experimental channel.
      {
        repoURL: "https://github.com/kubernetes-sigs/gateway-api",
        path: "config/crd/experimental",
        targetRevision: "v1.3.0",
        directory: { include: "gateway.networking.k8s.io_tlsroutes.yaml" },
      },
    ]);
  });

  it("points the root Application at the rendered branch", () => {
    expect(application("root").spec.source).toEqual({ repoURL: cluster.gitops.repoUrl, targetRevision: "rendered", path: "k8s/argocd-apps" });
  });
});

describe("values from the spec", () => {
  it("gives Cilium k3s's local API endpoint (not the VIP), the GatewayClass and the load-balancer pool", () => {
    const values = application("cilium").spec.sources[0].helm.valuesObject;
    expect(values).toMatchObject({
      kubeProxyReplacement: true,
      k8sServiceHost: "127.0.0.1",
      k8sServicePort: 6444,
      l2announcements: { enabled: true },
      gatewayAPI: { enabled: true, gatewayClass: { create: "true" } },
    });
    expect((byKind("CiliumLoadBalancerIPPool")[0] as any).spec.blocks).toEqual([{ start: "10.10.10.100", stop: "10.10.10.254" }]);
    // Plex's direct address is announced from the GPU worker only; the general policy passes over it.
    const policies = new Map(byKind("CiliumL2AnnouncementPolicy").map((p: any) => [p.metadata.name, p.spec]));
    expect(policies.get("direct-media-plex")).toEqual({
      loadBalancerIPs: true,
      serviceSelector: { matchLabels: { "homelab.dev/l2-announcement": "direct-media-plex" } },
      nodeSelector: { matchLabels: { "homelab.dev/gpu-vendor": "nvidia" } },
    });
    expect(policies.get("lab-l2").serviceSelector).toEqual({ matchExpressions: [{ key: "homelab.dev/l2-announcement", operator: "DoesNotExist" }] });
  });

  it("serves HTTPS for the wildcard domain on the ingress IP with a certificate from the chosen issuer", () => {
    const gateway = byKind("Gateway")[0] as any;
    expect(gateway.spec.infrastructure.annotations["lbipam.cilium.io/ips"]).toBe("10.10.10.100");
    expect(gateway.spec.listeners.find((l: any) => l.name === "https").hostname).toBe("*.lab.alexkm.me");
    expect((byKind("Certificate")[0] as any).spec).toMatchObject({
      dnsNames: ["lab.alexkm.me", "*.lab.alexkm.me"],
      issuerRef: { kind: "ClusterIssuer", name: "letsencrypt-production" },
    });
  });

  it("publishes and solves DNS-01 in the lab's zone (alexkm.me), not in its domain (lab.alexkm.me)", () => {
    expect(application("external-dns").spec.sources[0].helm.valuesObject.domainFilters).toEqual(["alexkm.me"]);
    for (const issuer of byKind("ClusterIssuer") as any[]) expect(issuer.spec.acme.solvers[0].selector).toEqual({ dnsZones: ["alexkm.me"] });
  });

  it("renders no Secret: credentials are referenced by name only", () => {
    expect(byKind("Secret")).toEqual([]);
    expect(JSON.stringify(objects)).toContain('"name":"cloudflare-api-token"');
  });

  it("labels every namespace it creates with a Pod Security level", () => {
    for (const ns of byKind("Namespace")) expect(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toMatch(/^(privileged|baseline|restricted)$/);
  });
});
