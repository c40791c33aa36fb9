// The media stack of the reference lab from one construct: right objects, right nodes, pinned images,
// probes and resources everywhere, VPN-only egress for SABnzbd, valid documents.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import { synthManifests } from "../charts/k8s-app";
import { OutputWriter } from "../scripts/lib/output-writer";
import { KubernetesSchemas } from "../scripts/lib/validate/kubernetes-schemas";
import { crdDirectory, readRendered } from "../scripts/lib/validate/rendered-k8s";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const cluster = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const dir = scratch("apps-reference");
synthManifests(cluster, dir, new OutputWriter());
const rendered = readRendered(dir);
const objects = rendered.map((r) => r.object as any);
const of = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const podSpec = (app: string) => of("Deployment", app).spec.template.spec;
const apps = cluster.apps.filter((a) => a.enabled);

describe("each app of the spec", () => {
  it.each(apps.map((a) => [a.name, a] as const))("%s has its Deployment, Service, config volume, route and policies", (name, app) => {
    const files = rendered
      .filter((r) => r.file.startsWith(`${name}/`))
      .map((r) => `${r.object.kind}/${r.object.metadata.name}`)
      .sort();
    expect(files).toEqual(
      [
        `CiliumNetworkPolicy/${name}-from-gateway`,
        `Deployment/${name}`,
        `HTTPRoute/${name}`,
        `NetworkPolicy/${name}`,
        `PersistentVolumeClaim/${name}-config`,
        // Its backup and the restore that fills the volume on a fresh cluster.
        `ReplicationDestination/${name}-config`,
        `ReplicationSource/${name}-config`,
        // Its restic repository and password (sealed).
        `SealedSecret/${name}-config-restic`,
        `Service/${name}`,
        ...(app.loadBalancerIp ? [`Service/${name}-direct`] : []),
      ].sort(),
    );
    const deployment = of("Deployment", name);
    expect(deployment.metadata.namespace).toBe("media");
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    expect(of("PersistentVolumeClaim", `${name}-config`).spec).toMatchObject({ storageClassName: "longhorn", accessModes: ["ReadWriteOnce"] });
  });

  it("pins every image by tag, never latest, and pulls only if missing", () => {
    for (const d of objects.filter((o) => o.kind === "Deployment")) {
      for (const c of [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])]) {
        expect(c.image).toMatch(/^[a-z0-9.-]+\/[\w./-]+:(?!latest)[\w.-]+$/);
        expect(c.imagePullPolicy).toBe("IfNotPresent");
      }
    }
  });

  it("gives every container requests, limits and probes, and no service-account token", () => {
    for (const d of objects.filter((o) => o.kind === "Deployment")) {
      const spec = d.spec.template.spec;
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect({ c: c.name, req: Object.keys(c.resources.requests).sort(), lim: ["cpu", "memory"].every((k) => k in c.resources.limits) }).toEqual({
          c: c.name,
          req: ["cpu", "memory"],
          lim: true,
        });
        // One-shot init steps run to completion; only what keeps running is probed.
        if (spec.containers.includes(c) || c.restartPolicy === "Always") expect(c.livenessProbe).toBeDefined();
      }
      expect(spec.containers[0].readinessProbe).toBeDefined();
    }
  });

  it("runs linuxserver images as they need: root start, PUID/PGID 65534, writable root", () => {
    const container = podSpec("sonarr").containers[0];
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ PUID: "65534", PGID: "65534", TZ: "UTC" });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: false, allowPrivilegeEscalation: false });
    expect(podSpec("sonarr").securityContext.fsGroup).toBe(65534);
  });
});

describe("placement", () => {
  it("puts Plex on the GPU worker only, with one GPU and the nvidia runtime", () => {
    const spec = podSpec("plex");
    expect(spec).toMatchObject({ runtimeClassName: "nvidia", nodeSelector: { "homelab.dev/gpu-vendor": "nvidia" } });
    expect(spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(spec.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    for (const other of apps.filter((a) => !a.gpu)) {
      expect(podSpec(other.name).runtimeClassName).toBeUndefined();
      expect(JSON.stringify(podSpec(other.name).tolerations ?? [])).not.toContain("nvidia.com/gpu");
    }
  });

  it("routes SABnzbd only through the VPN: VPN worker, gluetun sidecar with kill switch, nothing else", () => {
    const spec = podSpec("sabnzbd");
    expect(spec.nodeSelector).toEqual({ "homelab.dev/vpn": "true", "homelab.dev/vpn-region": "general" });
    expect(spec.tolerations).toEqual([{ key: "homelab.dev/vpn", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    const gluetun = spec.initContainers.find((c: any) => c.name === "gluetun");
    expect(gluetun).toMatchObject({
      restartPolicy: "Always",
      securityContext: { capabilities: { add: ["NET_ADMIN"] } },
      envFrom: [{ secretRef: { name: "vpn-general" } }],
    });
    const env = Object.fromEntries(gluetun.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ FIREWALL_INPUT_PORTS: "8080,9999", FIREWALL_OUTBOUND_SUBNETS: "10.42.0.0/16,10.43.0.0/16" });
    expect(spec.hostNetwork).toBeUndefined(); // sharing the node's network would bypass the tunnel
    expect(of("Namespace", "media").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    for (const other of apps.filter((a) => !a.vpn)) expect(podSpec(other.name).initContainers).toBeUndefined();
  });

  it("mounts only the declared shared directories", () => {
    const hostPaths = (app: string) =>
      podSpec(app)
        .volumes.filter((v: any) => v.hostPath)
        .map((v: any) => v.hostPath.path);
    expect(hostPaths("plex")).toEqual(["/data", "/archive"]);
    expect(hostPaths("sonarr")).toEqual(["/data"]);
    expect(hostPaths("prowlarr")).toEqual([]);
  });
});

describe("routes and network", () => {
  it("publishes every app at a unique host under the domain, on the shared Gateway's HTTPS listener", () => {
    const routes = apps.map((a) => of("HTTPRoute", a.name));
    const hosts = routes.flatMap((r) => r.spec.hostnames);
    expect(new Set(hosts).size).toBe(hosts.length);
    for (const host of hosts) expect(host).toMatch(/^[a-z0-9-]+\.lab\.alexkm\.me$/);
    for (const r of routes) expect(r.spec.parentRefs).toEqual([{ name: "homelab", namespace: "gateway", sectionName: "https" }]);
  });

  it("gives Plex a LoadBalancer address from the pool for direct clients on 32400", () => {
    const direct = of("Service", "plex-direct");
    expect(direct.metadata.annotations["lbipam.cilium.io/ips"]).toBe("10.10.10.101");
    expect(direct.spec).toMatchObject({ type: "LoadBalancer", ports: [{ port: 32400 }] });
    // Announced by its own L2 policy, from the GPU worker only (externalTrafficPolicy Local).
    expect(direct.metadata.labels["homelab.dev/l2-announcement"]).toBe("direct-media-plex");
    expect(of("NetworkPolicy", "plex").spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "10.10.10.0/24" } }]);
  });

  it("lets in only the Gateway and declared peers", () => {
    expect(of("NetworkPolicy", "sabnzbd").spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "sonarr" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "radarr" } } },
    ]);
    expect(of("CiliumNetworkPolicy", "sabnzbd-from-gateway").spec.ingress).toEqual([
      { fromEntities: ["ingress"], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] },
    ]);
  });
});

describe("documents", () => {
  const schemas = new KubernetesSchemas(crdDirectory(root));
  it("validate against their upstream schemas (CiliumNetworkPolicy has no offline CRD)", () => {
    for (const { file, object } of rendered.filter((r) => apps.some((a) => r.file.startsWith(`${a.name}/`)))) {
      const verdict = schemas.validate(object);
      if (object.kind === "CiliumNetworkPolicy") expect(verdict.status).toBe("no-schema");
      else expect({ file, verdict }).toEqual({ file, verdict: { status: "valid" } });
    }
  });

  it("read the same under YAML 1.1 (Kubernetes, PyYAML) and YAML 1.2", () => {
    for (const file of new Set(rendered.map((r) => r.file))) {
      const text = readFileSync(`${dir}/${file}`, "utf8");
      const read = (version: "1.1" | "1.2") => parseAllDocuments(text, { version }).map((d) => d.toJS());
      expect(read("1.1")).toEqual(read("1.2"));
    }
  });
});

describe("adding an app is one spec entry", () => {
  it("renders a new app and its Argo CD Application from a single declaration", () => {
    const withBazarr = parseCluster(
      overlayReference({ "apps.5": { name: "bazarr", namespace: "media", image: "lscr.io/linuxserver/bazarr:1.5.2", port: 6767, mounts: ["/data"] } }),
      "bazarr.yaml",
    );
    const out = scratch("apps-bazarr");
    synthManifests(withBazarr, out, new OutputWriter());
    const names = readRendered(out).map((r) => `${r.object.kind}/${r.object.metadata.name}`);
    expect(names).toEqual(expect.arrayContaining(["Deployment/bazarr", "HTTPRoute/bazarr", "Application/bazarr"]));
  });
});
