// Rules for what runs on the lab: the SSH keys, each app's needs (GPU, VPN, mounts, peers,
// load-balancer address), and whether the NVIDIA GPUs suffice for the apps that want one.
import { gpuOf } from "./contract";
import { inRange } from "./ipv4";
import type { Cluster } from "./schema";
import { unique, type Report } from "./rule-kit";
import { publicKeyProblem } from "./ssh-key";

type App = Cluster["apps"][number];

export function checkSsh(spec: Cluster, report: Report) {
  spec.ssh.authorizedKeys.forEach((key, i) => {
    const problem = publicKeyProblem(key);
    if (problem) report(["ssh", "authorizedKeys", i], `this key ${problem}`, "paste the single line of your ~/.ssh/id_ed25519.pub");
  });
}

export function checkApps(spec: Cluster, report: Report) {
  checkAppIdentities(spec, report);
  spec.apps.forEach((app, i) => {
    if (!app.enabled) return;
    checkAppWorkers(spec, app, i, report);
    checkAppMounts(spec, app, i, report);
    checkAppPeers(spec, app, i, report);
    checkAppLoadBalancerIp(spec, app, i, report);
    if (app.gpu && !spec.platform.nvidiaDevicePlugin.enabled)
      report(["apps", i, "gpu"], `${app.name} needs a GPU but platform.nvidiaDevicePlugin is disabled`, "enable platform.nvidiaDevicePlugin");
  });
}

/** Every app has its own name in its namespace, its own address and its own host name. */
function checkAppIdentities(spec: Cluster, report: Report) {
  const apps = spec.apps;
  unique(
    apps,
    (a) => `${a.namespace}/${a.name}`,
    (i, f) => report(["apps", i, "name"], `${apps[i].namespace}/${apps[i].name} is already apps[${f}]`, "give every app its own name"),
  );
  unique(
    apps,
    (a) => a.loadBalancerIp,
    (i, f) =>
      report(
        ["apps", i, "loadBalancerIp"],
        `${apps[i].loadBalancerIp} is already the address of apps[${f}] (${apps[f].name})`,
        "give every app its own address",
      ),
  );
  unique(
    apps,
    (a) => a.host ?? a.name,
    (i, f) =>
      report(["apps", i, "host"], `${apps[i].host ?? apps[i].name}.${spec.domain} is already the host of apps[${f}] (${apps[f].name})`, "set a different host"),
  );
}

/** An app that needs a GPU or the VPN has a worker of that role (and, for a region, that region). */
function checkAppWorkers(spec: Cluster, app: App, i: number, report: Report) {
  const hasRole = (role: string) => spec.vms.some((v) => v.role === role);
  if (app.gpu && !hasRole("gpu-worker"))
    report(["apps", i, "gpu"], `${app.name} needs a GPU but no VM has role gpu-worker`, "add a gpu-worker VM with a GPU, or set gpu: false");
  if (app.vpn && !hasRole("vpn-worker"))
    report(["apps", i, "vpn"], `${app.name} needs the VPN but no VM has role vpn-worker`, "add a vpn-worker VM, or set vpn: false");
  const vpnRegions = spec.vms.filter((v) => v.role === "vpn-worker").map((v) => v.vpnRegion);
  if (app.vpnRegion && !app.vpn) report(["apps", i, "vpnRegion"], `${app.name} has a vpnRegion but vpn is false`, "set vpn: true, or remove vpnRegion");
  else if (app.vpnRegion && !vpnRegions.includes(app.vpnRegion))
    report(["apps", i, "vpnRegion"], `no vpn-worker has vpnRegion '${app.vpnRegion}'`, `use one of: ${vpnRegions.filter(Boolean).join(", ") || "(none)"}`);
}

function checkAppMounts(spec: Cluster, app: App, i: number, report: Report) {
  const shared = spec.sharedDirectories.map((d) => d.guestPath);
  app.mounts.forEach((mount, m) => {
    if (!shared.includes(mount))
      report(
        ["apps", i, "mounts", m],
        `${mount} is not a shared directory; apps may only mount the bind-mounted host directories`,
        `use one of: ${shared.join(", ") || "(no sharedDirectories)"}`,
      );
  });
}

function checkAppPeers(spec: Cluster, app: App, i: number, report: Report) {
  app.peers.forEach((peer, p) => {
    if (!spec.apps.some((other) => other.name === peer && other.namespace === app.namespace && other.enabled))
      report(["apps", i, "peers", p], `no enabled app '${peer}' in namespace ${app.namespace}`, "name an app of the same namespace");
  });
}

/** A fixed app address comes from the load-balancer pool and is not the Gateway's. */
function checkAppLoadBalancerIp(spec: Cluster, app: App, i: number, report: Report) {
  if (!app.loadBalancerIp) return;
  const { start, stop } = spec.network.loadBalancerPool;
  if (!inRange(app.loadBalancerIp, start, stop))
    report(["apps", i, "loadBalancerIp"], `${app.loadBalancerIp} is outside the load-balancer pool ${start}-${stop}`, "pick a free address inside the pool");
  if (app.loadBalancerIp === spec.network.ingressIp)
    report(["apps", i, "loadBalancerIp"], `${app.loadBalancerIp} is the Gateway's ingress IP`, "pick another address of the pool");
}

/** Each GPU app takes a whole NVIDIA GPU unless time-slicing shares them; more apps than shares stay Pending. */
export function checkGpuShares(spec: Cluster, report: Report) {
  const gpus = spec.vms.filter((v) => v.role === "gpu-worker" && gpuOf(spec, v)?.vendor === "nvidia").length;
  const replicas = spec.platform.nvidiaDevicePlugin.timeSlicing?.replicas ?? 1;
  const takers: number[] = [];
  spec.apps.forEach((app, i) => {
    if (!app.enabled || !app.gpu || !gpus) return;
    if (takers.length >= gpus * replicas) {
      const shares =
        replicas > 1
          ? `${gpus * replicas} GPU shares (${gpus} GPU${gpus === 1 ? "" : "s"} × ${replicas} time-slicing replicas), all taken by ${takers.map((t) => spec.apps[t].name).join(", ")}`
          : gpus === 1
            ? `${spec.apps[takers[0]].name} already takes the lab's only one (1 GPU worker)`
            : `${takers.map((t) => spec.apps[t].name).join(", ")} already take all ${gpus}`;
      report(
        ["apps", i, "gpu"],
        `${app.name} needs ${replicas > 1 ? "a share of an" : "a whole"} NVIDIA GPU, but ${shares}`,
        "add a gpu-worker with its own GPU, or let apps share it: platform.nvidiaDevicePlugin.timeSlicing.replicas",
      );
    } else takers.push(i);
  });
}
