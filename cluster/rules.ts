// Cross-field rules of a homelab spec, all in one place. The schema (schema.ts) has
// already checked shapes and formats; these rules check that the parts fit together.
import { posix } from "node:path";
import { inRange, ipToInt, isHostIn, overlaps, parseCidr } from "./ipv4";
import type { Problem, SpecPath } from "./problems";
import type { Cluster, Datastore, ProxmoxNode } from "./schema";
import { checkSecrets } from "./secret-rules";
import { publicKeyProblem } from "./ssh-key";

type Report = (path: SpecPath, message: string, fix?: string) => void;

export function checkRules(spec: Cluster): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message, fix) => problems.push({ path, message, fix });
  checkProxmox(spec, report);
  checkStorageDefinitions(spec, report);
  checkNetwork(spec, report);
  checkVms(spec, report);
  checkCapacity(spec, report);
  checkSsh(spec, report);
  checkApps(spec, report);
  checkGpuShares(spec, report);
  checkServices(spec, report);
  checkSecrets(spec, report);
  return problems;
}

/** Reports every later occurrence of a value already seen. */
function unique<T>(items: readonly T[], key: (item: T) => string | number | undefined, onDuplicate: (index: number, first: number) => void) {
  const seen = new Map<string | number, number>();
  items.forEach((item, index) => {
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else onDuplicate(index, first);
  });
}

function checkProxmox(spec: Cluster, report: Report) {
  const nodes = spec.proxmox.nodes;
  unique(
    nodes,
    (n) => n.name,
    (i, f) => report(["proxmox", "nodes", i, "name"], `'${nodes[i].name}' is already the name of proxmox.nodes[${f}]`, "give every Proxmox node its own name"),
  );
  unique(
    nodes,
    (n) => n.host,
    (i, f) =>
      report(["proxmox", "nodes", i, "host"], `${nodes[i].host} is already the address of proxmox.nodes[${f}]`, "give every Proxmox node its own address"),
  );
  const gpuNames = new Map<string, string>();
  nodes.forEach((node, n) => {
    unique(
      node.datastores,
      (d) => d.id,
      (i) =>
        report(
          ["proxmox", "nodes", n, "datastores", i, "id"],
          `datastore '${node.datastores[i].id}' is listed twice on node ${node.name}`,
          "remove the duplicate entry",
        ),
    );
    unique(
      node.gpus,
      (g) => g.pci,
      (i, f) =>
        report(
          ["proxmox", "nodes", n, "gpus", i, "pci"],
          `PCI address ${node.gpus[i].pci} is already gpus[${f}] on node ${node.name}`,
          "list each physical GPU once",
        ),
    );
    node.gpus.forEach((gpu, g) => {
      const other = gpuNames.get(gpu.name);
      if (other)
        report(
          ["proxmox", "nodes", n, "gpus", g, "name"],
          `GPU mapping name '${gpu.name}' is already used on node ${other}; PCI mappings are cluster-wide`,
          "give every GPU a unique name",
        );
      gpuNames.set(gpu.name, node.name);
    });
    node.datastores.forEach((d, i) => {
      if (d.type === "dir" && !d.path)
        report(
          ["proxmox", "nodes", n, "datastores", i, "path"],
          `directory datastore '${d.id}' has no path`,
          "set path to its mount point, e.g. /bulk-storage",
        );
    });
    node.gpus.forEach((gpu, g) => {
      if (gpu.allFunctions && !gpu.pci.endsWith(".0"))
        report(
          ["proxmox", "nodes", n, "gpus", g, "pci"],
          `${gpu.pci} is not function 0, but allFunctions passes the whole card`,
          "give function 0 of the card (its ids, subsystem and IOMMU group too), or set allFunctions: false",
        );
    });
    checkTemplate(spec, node, n, report);
    const snippets = node.datastores.some((d) => d.content.includes("snippets"));
    if (!snippets)
      report(
        ["proxmox", "nodes", n, "datastores"],
        `node ${node.name} has no datastore with content 'snippets' for cloud-init user-data`,
        "add 'snippets' to the content of a directory datastore such as 'local'",
      );
  });
}

/** Where the template's image and disk go, on a node that runs VMs. */
function checkTemplate(spec: Cluster, node: ProxmoxNode, n: number, report: Report) {
  const template = spec.template;
  if (template.source !== "cloud-image" || !spec.vms.some((v) => v.node === node.name)) return;
  const imageStore = node.datastores.find((d) => d.id === template.image.datastore);
  if (!imageStore)
    report(
      ["template", "image", "datastore"],
      `datastore '${template.image.datastore}' does not exist on node ${node.name}`,
      `add it to proxmox.nodes[${n}].datastores or pick one that every node running VMs has`,
    );
  else if (!imageStore.content.includes("import"))
    report(
      ["template", "image", "datastore"],
      `datastore '${imageStore.id}' on node ${node.name} does not allow content 'import'`,
      "add 'import' to its content list",
    );
  const diskStore = node.datastores.find((d) => d.id === template.datastore);
  if (!diskStore?.content.includes("images"))
    report(
      ["template", "datastore"],
      `datastore '${template.datastore}' on node ${node.name} is missing or does not hold VM disks (content 'images')`,
      "name a datastore with content 'images' that every node running VMs has",
    );
}

/**
 * A storage definition is cluster-wide (/etc/pve/storage.cfg): one id means one type and one
 * path or pool on every node that lists it. Two features need Proxmox VE 8.4: downloading a
 * .qcow2 image into 'import' content (bpg/terraform-provider-proxmox v0.111.1
 * docs/resources/download_file.md, file_name: "wrong file extension" before 8.4) and directory
 * mappings for virtiofs (new in Proxmox VE 8.4, its release notes).
 */
function checkStorageDefinitions(spec: Cluster, report: Report) {
  const first = new Map<string, { readonly node: number; readonly store: Datastore }>();
  spec.proxmox.nodes.forEach((node, n) =>
    node.datastores.forEach((store, i) => {
      const seen = first.get(store.id);
      if (!seen) return void first.set(store.id, { node: n, store });
      const { type, path, pool, existing } = seen.store;
      if (store.type !== type || store.path !== path || (store.pool ?? store.id) !== (pool ?? seen.store.id) || store.existing !== existing) {
        report(
          ["proxmox", "nodes", n, "datastores", i],
          `storage '${store.id}' differs from proxmox.nodes[${seen.node}]'s (type, path, pool or existing); a Proxmox storage id is one definition for the whole cluster`,
          "give both the same type, path, pool and existing, or use another id",
        );
      }
    }),
  );
  spec.proxmox.nodes.forEach((node, n) =>
    node.datastores.forEach((store, i) => {
      const wrong = store.type === "zfspool" ? store.content.filter((c) => c !== "images" && c !== "rootdir") : [];
      if (wrong.length)
        report(
          ["proxmox", "nodes", n, "datastores", i, "content"],
          `a ZFS pool storage holds only VM and container disks, not ${wrong.join(", ")}`,
          "keep images and rootdir here; put the rest on a directory storage (type dir), e.g. on the pool's mountpoint",
        );
    }),
  );
  const needs84 = [
    ...spec.proxmox.nodes.flatMap((node) => node.datastores.filter((d) => d.content.includes("import")).map((d) => `content 'import' on ${d.id}`)),
    ...(spec.sharedDirectories.length ? ["sharedDirectories (virtiofs directory mappings)"] : []),
  ];
  const [major, minor] = spec.proxmox.version.split(".").map(Number);
  if (needs84.length && (major < 8 || (major === 8 && minor < 4))) {
    report(
      ["proxmox", "version"],
      `${needs84[0]} needs Proxmox VE 8.4 or later, and the spec says ${spec.proxmox.version}`,
      "upgrade the nodes and set the version pveversion prints, or drop those features",
    );
  }
}

function checkNetwork(spec: Cluster, report: Report) {
  const net = spec.network;
  const subnet = parseCidr(net.cidr);
  const { start, stop } = net.loadBalancerPool;
  if (!isHostIn(net.gateway, subnet))
    report(["network", "gateway"], `${net.gateway} is not a host address in ${net.cidr}`, "use the router's address inside the subnet");
  for (const key of ["start", "stop"] as const) {
    if (!isHostIn(net.loadBalancerPool[key], subnet))
      report(["network", "loadBalancerPool", key], `${net.loadBalancerPool[key]} is outside ${net.cidr}`, "keep the load-balancer pool inside the subnet");
  }
  if (ipToInt(start) > ipToInt(stop)) report(["network", "loadBalancerPool"], `start ${start} is after stop ${stop}`, "swap start and stop");
  if (inRange(net.gateway, start, stop))
    report(["network", "loadBalancerPool"], `the pool ${start}-${stop} contains the gateway ${net.gateway}`, "move the pool so it excludes the gateway");
  if (!inRange(net.ingressIp, start, stop))
    report(
      ["network", "ingressIp"],
      `${net.ingressIp} is not in the load-balancer pool ${start}-${stop}`,
      "pick an address inside the pool (usually its first)",
    );
  if (!isHostIn(net.apiVip, subnet)) report(["network", "apiVip"], `${net.apiVip} is outside ${net.cidr}`, "pick a free address inside the subnet");
  else if (inRange(net.apiVip, start, stop))
    report(["network", "apiVip"], `${net.apiVip} is inside the load-balancer pool ${start}-${stop}`, "pick a free address outside the pool");
  if (net.apiVip === net.gateway) report(["network", "apiVip"], `${net.apiVip} is the gateway`, "pick a free address");
  const k3s = spec.k3s;
  for (const key of ["clusterCidr", "serviceCidr"] as const) {
    if (overlaps(parseCidr(k3s[key]), subnet))
      report(["k3s", key], `${k3s[key]} overlaps the lab network ${net.cidr}`, "use a private range that no host uses, e.g. 10.42.0.0/16");
  }
  if (overlaps(parseCidr(k3s.clusterCidr), parseCidr(k3s.serviceCidr)))
    report(["k3s", "serviceCidr"], `${k3s.serviceCidr} overlaps clusterCidr ${k3s.clusterCidr}`, "use separate ranges, e.g. 10.42.0.0/16 and 10.43.0.0/16");
}

function checkVms(spec: Cluster, report: Report) {
  const { vms, network: net } = spec;
  const subnet = parseCidr(net.cidr);
  const at = (i: number, field: string): SpecPath => ["vms", i, field];
  unique(
    vms,
    (v) => v.name,
    (i, f) => report(at(i, "name"), `'${vms[i].name}' is already the name of vms[${f}]`, "give every VM its own name"),
  );
  unique(
    vms,
    (v) => v.vmId,
    (i, f) => report(at(i, "vmId"), `${vms[i].vmId} is already the id of vms[${f}] (${vms[f].name})`, "give every VM its own id"),
  );
  unique(
    vms,
    (v) => v.ip,
    (i, f) => report(at(i, "ip"), `${vms[i].ip} is already the address of vms[${f}] (${vms[f].name})`, "give every VM its own address"),
  );
  const templateIds = new Set(spec.proxmox.nodes.map((_, n) => spec.template.vmId + n));
  const hostIps = new Map(spec.proxmox.nodes.map((n) => [n.host, n.name]));
  const gpuOwners = new Map<string, number>();

  vms.forEach((vm, i) => {
    if (templateIds.has(vm.vmId))
      report(at(i, "vmId"), `${vm.vmId} is taken by a template (template.vmId and the ids after it, one per node)`, "use another id or move template.vmId");
    if (!isHostIn(vm.ip, subnet)) report(at(i, "ip"), `${vm.ip} is outside ${net.cidr}`, `use a free address inside ${net.cidr}`);
    if (vm.ip === net.gateway) report(at(i, "ip"), `${vm.ip} is the gateway`, "use a free address");
    if (vm.ip === net.apiVip) report(at(i, "ip"), `${vm.ip} is the API VIP (network.apiVip)`, "use another address for the VM, or move the VIP");
    if (inRange(vm.ip, net.loadBalancerPool.start, net.loadBalancerPool.stop))
      report(
        at(i, "ip"),
        `${vm.ip} is inside the load-balancer pool ${net.loadBalancerPool.start}-${net.loadBalancerPool.stop}`,
        "use an address outside the pool",
      );
    if (hostIps.has(vm.ip)) report(at(i, "ip"), `${vm.ip} is the address of Proxmox node ${hostIps.get(vm.ip)}`, "use a free address");

    const node = spec.proxmox.nodes.find((n) => n.name === vm.node);
    if (!node) {
      report(at(i, "node"), `unknown Proxmox node '${vm.node}'`, `use one of: ${spec.proxmox.nodes.map((n) => n.name).join(", ")}`);
      return;
    }
    const store = node.datastores.find((d) => d.id === vm.datastore);
    if (!store)
      report(
        at(i, "datastore"),
        `datastore '${vm.datastore}' does not exist on node ${node.name}`,
        `use one of: ${
          node.datastores
            .filter((d) => d.content.includes("images"))
            .map((d) => d.id)
            .join(", ") || "(none with content 'images')"
        }`,
      );
    else if (!store.content.includes("images"))
      report(at(i, "datastore"), `datastore '${store.id}' does not hold VM disks (content 'images')`, "choose a datastore with content 'images'");

    if (vm.role === "gpu-worker" && !vm.gpu)
      report(
        at(i, "gpu"),
        `${vm.name} is a gpu-worker without a GPU`,
        `set gpu to one of: ${node.gpus.map((g) => g.name).join(", ") || `(node ${node.name} has no GPUs)`}`,
      );
    if (vm.gpu) {
      if (vm.role !== "gpu-worker") report(at(i, "gpu"), `${vm.name} has a GPU but its role is ${vm.role}`, "set role: gpu-worker, or remove gpu");
      if (!node.gpus.some((g) => g.name === vm.gpu))
        report(
          at(i, "gpu"),
          `GPU '${vm.gpu}' is not on node ${node.name}`,
          `use one of: ${node.gpus.map((g) => g.name).join(", ") || "(none)"} or move the VM to the GPU's node`,
        );
      const owner = gpuOwners.get(vm.gpu);
      if (owner !== undefined)
        report(at(i, "gpu"), `GPU '${vm.gpu}' is already passed through to ${vms[owner].name}`, "a GPU can be passed to one VM only; remove one of them");
      gpuOwners.set(vm.gpu, i);
    }
    if (vm.vpnRegion && vm.role !== "vpn-worker")
      report(at(i, "vpnRegion"), `${vm.name} has a vpnRegion but its role is ${vm.role}`, "set role: vpn-worker, or remove vpnRegion");
    if (vm.dataDiskGiB && vm.role === "control-plane") report(at(i, "dataDiskGiB"), "control-plane nodes do not run Longhorn replicas", "remove dataDiskGiB");
  });

  const servers = vms.filter((v) => v.role === "control-plane").length;
  if (servers === 0) report(["vms"], "no VM has role control-plane", "add at least one control-plane VM (three for HA)");
  else if (servers % 2 === 0)
    report(
      ["vms"],
      `${servers} control-plane VMs: an even number of etcd members tolerates no more failures than one fewer`,
      `use ${servers - 1} or ${servers + 1} control-plane VMs`,
    );
}

function checkCapacity(spec: Cluster, report: Report) {
  spec.proxmox.nodes.forEach((node, n) => {
    const guests = spec.vms.filter((v) => v.node === node.name);
    const cores = guests.reduce((sum, v) => sum + v.cores, 0);
    const cpuLimit = node.cpuThreads * node.overcommit.cpu;
    if (cores > cpuLimit)
      report(
        ["proxmox", "nodes", n, "overcommit", "cpu"],
        `VMs on ${node.name} have ${cores} vCPUs but ${node.cpuThreads} threads × overcommit ${node.overcommit.cpu} allow ${cpuLimit}`,
        `lower VM cores or set overcommit.cpu to at least ${Math.ceil((cores / node.cpuThreads) * 100) / 100}`,
      );
    const memory = guests.reduce((sum, v) => sum + v.memoryGiB, 0);
    const memoryLimit = (node.memoryGiB - node.reservedMemoryGiB) * node.overcommit.memory;
    if (memory > memoryLimit)
      report(
        ["proxmox", "nodes", n, "overcommit", "memory"],
        `VMs on ${node.name} have ${memory} GiB RAM but (${node.memoryGiB} - ${node.reservedMemoryGiB} reserved) GiB × overcommit ${node.overcommit.memory} allow ${memoryLimit}`,
        "lower VM memory, reservedMemoryGiB, or raise overcommit.memory",
      );
    node.datastores.forEach((store, d) => {
      const used = guests.filter((v) => v.datastore === store.id).reduce((sum, v) => sum + v.diskGiB + (v.dataDiskGiB ?? 0), 0);
      const limit = store.capacityGiB * node.overcommit.disk;
      if (used > limit)
        report(
          ["proxmox", "nodes", n, "datastores", d, "capacityGiB"],
          `VM disks on ${store.id}@${node.name} add up to ${used} GiB but capacity ${store.capacityGiB} GiB × overcommit ${node.overcommit.disk} allow ${limit}`,
          "shrink or move disks, or raise overcommit.disk (thin provisioning)",
        );
    });
  });
}

function checkSsh(spec: Cluster, report: Report) {
  spec.ssh.authorizedKeys.forEach((key, i) => {
    const problem = publicKeyProblem(key);
    if (problem) report(["ssh", "authorizedKeys", i], `this key ${problem}`, "paste the single line of your ~/.ssh/id_ed25519.pub");
  });
}

function checkApps(spec: Cluster, report: Report) {
  const apps = spec.apps;
  const hasRole = (role: string) => spec.vms.some((v) => v.role === role);
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
  apps.forEach((app, i) => {
    if (!app.enabled) return;
    if (app.gpu && !hasRole("gpu-worker"))
      report(["apps", i, "gpu"], `${app.name} needs a GPU but no VM has role gpu-worker`, "add a gpu-worker VM with a GPU, or set gpu: false");
    if (app.vpn && !hasRole("vpn-worker"))
      report(["apps", i, "vpn"], `${app.name} needs the VPN but no VM has role vpn-worker`, "add a vpn-worker VM, or set vpn: false");
    const vpnRegions = spec.vms.filter((v) => v.role === "vpn-worker").map((v) => v.vpnRegion);
    if (app.vpnRegion && !app.vpn) report(["apps", i, "vpnRegion"], `${app.name} has a vpnRegion but vpn is false`, "set vpn: true, or remove vpnRegion");
    else if (app.vpnRegion && !vpnRegions.includes(app.vpnRegion))
      report(["apps", i, "vpnRegion"], `no vpn-worker has vpnRegion '${app.vpnRegion}'`, `use one of: ${vpnRegions.filter(Boolean).join(", ") || "(none)"}`);
    const shared = spec.sharedDirectories.map((d) => d.guestPath);
    app.mounts.forEach((mount, m) => {
      if (!shared.includes(mount))
        report(
          ["apps", i, "mounts", m],
          `${mount} is not a shared directory; apps may only mount the bind-mounted host directories`,
          `use one of: ${shared.join(", ") || "(no sharedDirectories)"}`,
        );
    });
    app.peers.forEach((peer, p) => {
      if (!apps.some((other) => other.name === peer && other.namespace === app.namespace && other.enabled))
        report(["apps", i, "peers", p], `no enabled app '${peer}' in namespace ${app.namespace}`, "name an app of the same namespace");
    });
    if (app.loadBalancerIp) {
      const { start, stop } = spec.network.loadBalancerPool;
      if (!inRange(app.loadBalancerIp, start, stop))
        report(
          ["apps", i, "loadBalancerIp"],
          `${app.loadBalancerIp} is outside the load-balancer pool ${start}-${stop}`,
          "pick a free address inside the pool",
        );
      if (app.loadBalancerIp === spec.network.ingressIp)
        report(["apps", i, "loadBalancerIp"], `${app.loadBalancerIp} is the Gateway's ingress IP`, "pick another address of the pool");
    }
    if (app.gpu && !spec.platform.nvidiaDevicePlugin.enabled)
      report(["apps", i, "gpu"], `${app.name} needs a GPU but platform.nvidiaDevicePlugin is disabled`, "enable platform.nvidiaDevicePlugin");
  });
}

/** Each GPU app takes a whole NVIDIA GPU unless time-slicing shares them; more apps than shares stay Pending. */
function checkGpuShares(spec: Cluster, report: Report) {
  const gpus = spec.vms.filter(
    (v) => v.role === "gpu-worker" && spec.proxmox.nodes.some((n) => n.gpus.some((g) => g.name === v.gpu && g.vendor === "nvidia")),
  ).length;
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

function checkServices(spec: Cluster, report: Report) {
  const longhorn = spec.platform.longhorn;
  const longhornNodes = spec.vms.filter((v) => v.dataDiskGiB !== undefined).length;
  if (longhorn.enabled && longhorn.replicaCount > longhornNodes)
    report(
      ["platform", "longhorn", "replicaCount"],
      `${longhorn.replicaCount} replicas need as many workers with a Longhorn disk (dataDiskGiB), but ${longhornNodes} have one`,
      `lower replicaCount to ${Math.max(1, longhornNodes)} or give more workers a dataDiskGiB`,
    );
  if (spec.backups) {
    const store = spec.backups.datastore;
    spec.proxmox.nodes.forEach((node) => {
      const ds = node.datastores.find((d) => d.id === store);
      if (!ds) report(["backups", "datastore"], `datastore '${store}' does not exist on node ${node.name}`, "back up to a datastore every node has");
      else if (!ds.content.includes("backup"))
        report(
          ["backups", "datastore"],
          `datastore '${store}' on ${node.name} does not allow content 'backup'`,
          "add 'backup' to its content list (only directory-like storages can hold vzdump files)",
        );
    });
  }
  const dirs = spec.sharedDirectories;
  unique(
    dirs,
    (d) => d.name,
    (i) => report(["sharedDirectories", i, "name"], `'${dirs[i].name}' is listed twice`, "give every shared directory its own name"),
  );
  unique(
    dirs,
    (d) => d.guestPath,
    (i) => report(["sharedDirectories", i, "guestPath"], `${dirs[i].guestPath} is mounted twice`, "give every shared directory its own mount point"),
  );
  if (spec.gitops.private && !spec.gitops.repoUrl.startsWith("https://"))
    report(
      ["gitops", "private"],
      `a private repository is read with an HTTPS token, but ${spec.gitops.repoUrl} is not an https:// URL`,
      "use the repository's https:// URL",
    );
  const backend = spec.terraform.backend;
  if (backend.type === "local")
    checkStatePath(backend.path, (message) =>
      report(
        ["terraform", "backend", "path"],
        message,
        "use a path relative to the repository root such as .terraform-state/homelab.tfstate, or the s3 backend",
      ),
    );
}

/** Local state lives in the repository, outside the output and git's own directory. */
function checkStatePath(path: string, report: (message: string) => void): void {
  const normalized = posix.normalize(path);
  const first = normalized.split("/")[0];
  if (path.startsWith("/")) report("is an absolute path; state must stay in this repository (no build machine's path may enter the output)");
  else if (first === "..") report("leaves the repository");
  else if (first === "dist") report("is inside dist/, which is committed and published; Terraform state must never be written there");
  else if (first === ".git") report("is inside .git/");
}
