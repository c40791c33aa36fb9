// A generated lab ten times the reference, for the benchmark: 4 Proxmox nodes, 100 VMs
// (3 control planes, 4 GPU workers, 4 VPN workers, 89 workers), 300 apps in 10 namespaces, six
// of them sharing the GPUs by time-slicing.
// It is a valid spec: the generator test synthesizes it. Larger sizes (options) stay valid up to
// 16 nodes and 400 VMs: VM addresses run from 10.20.0.102 up, well below the API VIP.
import { readSpecYaml } from "../../cluster/spec-yaml";
import { readFileSync } from "node:fs";

export interface LargeLabOptions {
  readonly nodes?: number;
  readonly vms?: number;
  readonly apps?: number;
}

const images = [
  ["lscr.io/linuxserver/sonarr:4.0.15", 8989, "/ping"],
  ["lscr.io/linuxserver/radarr:5.26.2", 7878, "/ping"],
  ["lscr.io/linuxserver/prowlarr:1.37.0", 9696, "/ping"],
  ["lscr.io/linuxserver/sabnzbd:4.5.3", 8080, undefined],
] as const;

const largeLabImage = {
  url: "https://cloud-images.ubuntu.com/releases/noble/release-20250101/ubuntu-24.04-server-cloudimg-amd64.img",
  checksum: { algorithm: "sha256", value: "0".repeat(64) },
  fileName: "ubuntu-24.04-server-cloudimg-amd64.qcow2",
  datastore: "local",
};

export function largeLab(referenceSpecText: string, options: LargeLabOptions = {}): Record<string, unknown> {
  const nodeCount = options.nodes ?? 4;
  const reference = readSpecYaml(referenceSpecText, "reference").data as Record<string, any>;
  return {
    ...reference,
    name: "large",
    proxmox: { ...reference.proxmox, endpoint: "https://10.20.0.2:8006/", nodes: labNodes(nodeCount) },
    // Templates built from a cloud image (one per node), so the large lab covers that mode; the
    // URL and checksum only need the right shape here.
    template: { source: "cloud-image", vmId: 9000, datastore: "fast", image: largeLabImage },
    network: {
      cidr: "10.20.0.0/16",
      gateway: "10.20.0.1",
      dns: ["10.20.0.1"],
      loadBalancerPool: { start: "10.20.200.1", stop: "10.20.250.254" },
      ingressIp: "10.20.200.1",
      apiVip: "10.20.199.250",
    },
    vms: labVms(options.vms ?? 100, nodeCount),
    sharedDirectories: [{ name: "bulk", hostPath: "/bulk", guestPath: "/data" }],
    backups: { ...reference.backups, datastore: "bulk" },
    // 6 GPU apps on 4 GPUs: two pods share each GPU (NVIDIA time-slicing).
    platform: {
      ...reference.platform,
      nvidiaDevicePlugin: { enabled: true, timeSlicing: { replicas: 2 } },
      // Every app volume backed up to the shared directory, as in the reference lab.
      volsync: { ...reference.platform.volsync, sharedDirectory: "bulk" },
    },
    apps: labApps(options.apps ?? 300),
  };
}

const ip = (n: number) => `10.20.${Math.floor(n / 250)}.${(n % 250) + 2}`;

function labNodes(count: number) {
  return Array.from({ length: count }, (_, n) => ({
    name: `pve${n + 1}`,
    host: ip(n),
    cpuThreads: 128,
    memoryGiB: 1024,
    reservedMemoryGiB: 64,
    overcommit: { cpu: 2, memory: 1, disk: 1 },
    gpus: [
      { name: `gpu${n + 1}`, vendor: "nvidia", model: "GeForce RTX 3060", pci: "0000:47:00.0", deviceId: "10de:0000", subsystemId: "0000:0000", iommuGroup: n },
    ],
    datastores: [
      { id: "local", type: "dir", path: "/var/lib/vz", content: ["iso", "import", "snippets", "vztmpl"], capacityGiB: 200 },
      { id: "fast", type: "zfspool", content: ["images"], capacityGiB: 20000 },
      { id: "bulk", type: "dir", path: "/bulk", content: ["backup"], capacityGiB: 100000 },
    ],
  }));
}

/** 3 control planes, one GPU worker and one VPN worker per node, workers for the rest. */
function labVms(count: number, nodeCount: number) {
  const roleOf = (i: number) => (i < 3 ? "control-plane" : i < 3 + nodeCount ? "gpu-worker" : i < 3 + 2 * nodeCount ? "vpn-worker" : "worker");
  return Array.from({ length: count }, (_, i) => {
    const role = roleOf(i);
    const node = i % nodeCount;
    return {
      name: `k3s-${role}-${i + 1}`,
      role,
      vmId: 1000 + i,
      ip: ip(100 + i),
      cores: role === "control-plane" ? 4 : 8,
      memoryGiB: role === "control-plane" ? 8 : 32,
      diskGiB: 64,
      ...(role === "worker" ? { dataDiskGiB: 200 } : {}),
      datastore: "fast",
      node: `pve${node + 1}`,
      ...(role === "gpu-worker" ? { gpu: `gpu${node + 1}` } : {}),
      ...(role === "vpn-worker" ? { vpnRegion: `region${i % 2}` } : {}),
    };
  });
}

function labApps(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const [image, port, probePath] = images[i % images.length];
    return {
      name: `app-${i + 1}`,
      namespace: `team-${i % 10}`,
      image,
      port,
      ...(probePath ? { probePath } : {}),
      mounts: ["/data"],
      ...(i % 50 === 0 ? { gpu: true } : {}),
      ...(i % 40 === 7 ? { vpn: true, vpnRegion: `region${i % 2}` } : {}),
    };
  });
}

export function largeLabFromFile(referenceSpecFile: string, options?: LargeLabOptions): Record<string, unknown> {
  return largeLab(readFileSync(referenceSpecFile, "utf8"), options);
}
