// Rules for addresses and VMs: the lab network, the load-balancer pool, the API VIP and k3s's
// own ranges; then each VM's id, address, node, datastore, GPU and role-specific fields.
import { inRange, ipToInt, isHostIn, overlaps, parseCidr } from "./ipv4";
import type { SpecPath } from "./problems";
import type { Cluster, ProxmoxNode, Vm } from "./schema";
import { unique, type Report } from "./rule-kit";

export function checkNetwork(spec: Cluster, report: Report) {
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
  if (net.dnsZone && spec.domain !== net.dnsZone && !spec.domain.endsWith(`.${net.dnsZone}`))
    report(
      ["network", "dnsZone"],
      `the domain ${spec.domain} is not inside the zone ${net.dnsZone}`,
      "give the Cloudflare zone the domain is in (the domain itself or a parent of it)",
    );
  const k3s = spec.k3s;
  for (const key of ["clusterCidr", "serviceCidr"] as const) {
    if (overlaps(parseCidr(k3s[key]), subnet))
      report(["k3s", key], `${k3s[key]} overlaps the lab network ${net.cidr}`, "use a private range that no host uses, e.g. 10.42.0.0/16");
  }
  if (overlaps(parseCidr(k3s.clusterCidr), parseCidr(k3s.serviceCidr)))
    report(["k3s", "serviceCidr"], `${k3s.serviceCidr} overlaps clusterCidr ${k3s.clusterCidr}`, "use separate ranges, e.g. 10.42.0.0/16 and 10.43.0.0/16");
}

const at = (i: number, field: string): SpecPath => ["vms", i, field];

export function checkVms(spec: Cluster, report: Report) {
  const vms = spec.vms;
  checkVmIdentities(vms, report);
  const templateIds = new Set(spec.proxmox.nodes.map((_, n) => spec.template.vmId + n));
  const hostIps = new Map(spec.proxmox.nodes.map((n) => [n.host, n.name]));
  /** GPU name → index of the VM it is passed through to. */
  const gpuOwners = new Map<string, number>();

  vms.forEach((vm, i) => {
    if (templateIds.has(vm.vmId))
      report(at(i, "vmId"), `${vm.vmId} is taken by a template (template.vmId and the ids after it, one per node)`, "use another id or move template.vmId");
    checkVmAddress(spec, vm, i, hostIps, report);
    const node = spec.proxmox.nodes.find((n) => n.name === vm.node);
    if (!node) {
      report(at(i, "node"), `unknown Proxmox node '${vm.node}'`, `use one of: ${spec.proxmox.nodes.map((n) => n.name).join(", ")}`);
      return;
    }
    checkVmDatastore(vm, i, node, report);
    checkVmGpu(vms, vm, i, node, gpuOwners, report);
    if (vm.vpnRegion && vm.role !== "vpn-worker")
      report(at(i, "vpnRegion"), `${vm.name} has a vpnRegion but its role is ${vm.role}`, "set role: vpn-worker, or remove vpnRegion");
    if (vm.dataDiskGiB && vm.role === "control-plane") report(at(i, "dataDiskGiB"), "control-plane nodes do not run Longhorn replicas", "remove dataDiskGiB");
  });

  checkControlPlaneCount(vms, report);
}

/** Every VM has its own name, id and address. */
function checkVmIdentities(vms: readonly Vm[], report: Report) {
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
}

/** A VM's address is a free host address of the lab network. */
function checkVmAddress(spec: Cluster, vm: Vm, i: number, hostIps: ReadonlyMap<string, string>, report: Report) {
  const net = spec.network;
  if (!isHostIn(vm.ip, parseCidr(net.cidr))) report(at(i, "ip"), `${vm.ip} is outside ${net.cidr}`, `use a free address inside ${net.cidr}`);
  if (vm.ip === net.gateway) report(at(i, "ip"), `${vm.ip} is the gateway`, "use a free address");
  if (vm.ip === net.apiVip) report(at(i, "ip"), `${vm.ip} is the API VIP (network.apiVip)`, "use another address for the VM, or move the VIP");
  if (inRange(vm.ip, net.loadBalancerPool.start, net.loadBalancerPool.stop))
    report(
      at(i, "ip"),
      `${vm.ip} is inside the load-balancer pool ${net.loadBalancerPool.start}-${net.loadBalancerPool.stop}`,
      "use an address outside the pool",
    );
  if (hostIps.has(vm.ip)) report(at(i, "ip"), `${vm.ip} is the address of Proxmox node ${hostIps.get(vm.ip)}`, "use a free address");
}

/** The VM's disk goes to a datastore of its node that holds VM disks. */
function checkVmDatastore(vm: Vm, i: number, node: ProxmoxNode, report: Report) {
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
}

/** A gpu-worker has a GPU of its own node, and a GPU is passed through to one VM only; records the VM's GPU. */
function checkVmGpu(vms: readonly Vm[], vm: Vm, i: number, node: ProxmoxNode, gpuOwners: Map<string, number>, report: Report) {
  if (vm.role === "gpu-worker" && !vm.gpu)
    report(
      at(i, "gpu"),
      `${vm.name} is a gpu-worker without a GPU`,
      `set gpu to one of: ${node.gpus.map((g) => g.name).join(", ") || `(node ${node.name} has no GPUs)`}`,
    );
  if (!vm.gpu) return;
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

/** etcd needs a control plane, and an odd number of members. */
function checkControlPlaneCount(vms: readonly Vm[], report: Report) {
  const servers = vms.filter((v) => v.role === "control-plane").length;
  if (servers === 0) report(["vms"], "no VM has role control-plane", "add at least one control-plane VM (three for HA)");
  else if (servers % 2 === 0)
    report(
      ["vms"],
      `${servers} control-plane VMs: an even number of etcd members tolerates no more failures than one fewer`,
      `use ${servers - 1} or ${servers + 1} control-plane VMs`,
    );
}
