// HomelabApp on its own, from flat props, as someone would use it in their own cdk8s app.
import { Chart, Testing } from "cdk8s";
import { HomelabApp, type HomelabAppProps } from "../lib";

function render(props: HomelabAppProps, id = "web"): any[] {
  const chart = new Chart(Testing.app(), "test", { namespace: "tools", disableResourceNameHashes: true });
  new HomelabApp(chart, id, props);
  return Testing.synth(chart);
}
const kinds = (objects: any[]) => objects.map((o) => o.kind);
const deploymentOf = (objects: any[]) => objects.find((o) => o.kind === "Deployment");

describe("HomelabApp", () => {
  it("renders a volume, a Deployment, a Service and its network policies from an image and a port", () => {
    const objects = render({ image: "ghcr.io/example/web:1.2.3", port: 8080 });
    expect(kinds(objects)).toEqual(["PersistentVolumeClaim", "Deployment", "Service", "NetworkPolicy", "CiliumNetworkPolicy"]);
    for (const o of objects) expect(o.metadata).toMatchObject({ name: expect.stringMatching(/^web/), namespace: "tools" });
    const container = deploymentOf(objects).spec.template.spec.containers[0];
    expect(container).toMatchObject({ image: "ghcr.io/example/web:1.2.3", ports: [{ containerPort: 8080 }], startupProbe: { tcpSocket: { port: 8080 } } });
    expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } });
    expect(objects[0].spec.resources.requests.storage).toBe("5Gi");
    // A generic image runs as nobody with a read-only root filesystem.
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("routes its host on the shared Gateway and probes over HTTP when given a path", () => {
    const objects = render({ image: "ghcr.io/example/web:1.2.3", port: 8080, host: "web.example.com", probePath: "/healthz" });
    const route = objects.find((o) => o.kind === "HTTPRoute");
    expect(route.spec).toEqual({
      hostnames: ["web.example.com"],
      parentRefs: [{ name: "homelab", namespace: "gateway", sectionName: "https" }],
      rules: [{ backendRefs: [{ name: "web", port: 8080 }] }],
    });
    expect(deploymentOf(objects).spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: "/healthz", port: 8080 });
  });

  it("takes a whole GPU on a GPU worker", () => {
    const pod = deploymentOf(render({ image: "lscr.io/linuxserver/plex:1.42.1", port: 32400, placement: { kind: "gpu" } })).spec.template.spec;
    expect(pod).toMatchObject({
      runtimeClassName: "nvidia",
      nodeSelector: { "homelab.dev/gpu-vendor": "nvidia" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
    });
    expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    // linuxserver images start as root and drop to PUID/PGID.
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: "PUID", value: "65534" }]));
  });

  it("runs behind gluetun on a VPN worker of its region", () => {
    const pod = deploymentOf(
      render({ image: "lscr.io/linuxserver/sabnzbd:4.5.3", port: 8080, placement: { kind: "vpn", region: "brazil", clusterCidrs: ["10.42.0.0/16"] } }),
    ).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "homelab.dev/vpn": "true", "homelab.dev/vpn-region": "brazil" });
    expect(pod.initContainers[0]).toMatchObject({ name: "gluetun", restartPolicy: "Always", envFrom: [{ secretRef: { name: "vpn-brazil" } }] });
    expect(pod.volumes.map((v: any) => v.name)).toEqual(["config", "tun"]);
  });

  it("opens a LoadBalancer address to direct clients of the LAN only", () => {
    const objects = render({ image: "ghcr.io/example/web:1.2.3", port: 8080, directAccess: { ip: "10.0.0.101", clientCidr: "10.0.0.0/24" } });
    const direct = objects.find((o) => o.metadata.name === "web-direct");
    expect(direct).toMatchObject({ kind: "Service", spec: { type: "LoadBalancer" }, metadata: { annotations: { "lbipam.cilium.io/ips": "10.0.0.101" } } });
    expect(objects.find((o) => o.kind === "NetworkPolicy").spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "10.0.0.0/24" } }]);
  });

  it("with a backup, restores its volume from a ReplicationDestination of its own and backs it up on the schedule", () => {
    const objects = render({ image: "ghcr.io/example/web:1.2.3", port: 8080, configGiB: 8, backup: { schedule: "15 3 * * *", retain: { daily: 3 } } });
    const claim = objects.find((o) => o.kind === "PersistentVolumeClaim");
    expect(claim.spec.dataSourceRef).toEqual({ apiGroup: "volsync.backube", kind: "ReplicationDestination", name: "web-config" });
    const source = objects.find((o) => o.kind === "ReplicationSource");
    const destination = objects.find((o) => o.kind === "ReplicationDestination");
    expect(source.metadata).toMatchObject({ name: "web-config", namespace: "tools" });
    expect(source.spec).toMatchObject({
      sourcePVC: "web-config",
      trigger: { schedule: "15 3 * * *" },
      restic: { repository: "web-config-restic", copyMethod: "Snapshot", volumeSnapshotClassName: "longhorn-snapshot", retain: { daily: 3 } },
    });
    // Restored once, from a snapshot, into a volume of the claim's size, keeping the volume that holds the snapshot.
    expect(destination.metadata).toMatchObject({ name: "web-config", namespace: "tools" });
    expect(destination.spec).toMatchObject({
      trigger: { manual: "restore-once" },
      restic: { repository: "web-config-restic", copyMethod: "Snapshot", capacity: "8Gi", cleanupTempPVC: false, enableFileDeletion: true },
    });
    // The repository server admits its movers by this label.
    for (const mover of [source, destination]) expect(mover.spec.restic.moverPodLabels).toEqual({ "homelab.dev/backup-mover": "true" });
  });

  it("without a backup, has no dataSourceRef, no ReplicationSource and no ReplicationDestination", () => {
    const objects = render({ image: "ghcr.io/example/web:1.2.3", port: 8080 });
    expect(objects.find((o) => o.kind === "PersistentVolumeClaim").spec.dataSourceRef).toBeUndefined();
    expect(kinds(objects).filter((k) => k.startsWith("Replication"))).toEqual([]);
  });

  it("refuses a backup that keeps nothing, which VolSync would turn into keep-last 1", () => {
    expect(() => render({ image: "ghcr.io/example/web:1.2.3", port: 8080, backup: { schedule: "0 4 * * *", retain: {} } })).toThrow(/keeps nothing/);
  });

  it("needs a chart with a namespace", () => {
    expect(() => new HomelabApp(Testing.chart(), "web", { image: "ghcr.io/example/web:1.2.3", port: 80 })).toThrow("needs a chart with a namespace");
  });
});
