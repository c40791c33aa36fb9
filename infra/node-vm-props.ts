// The one adapter from a VM of the spec to K3sNodeVm's sizing and addressing props.
import { parseCidr } from "../cluster/ipv4";
import type { Cluster, Vm } from "../cluster/schema";
import type { K3sNodeVmProps } from "./k3s-node-vm";

export function nodeVmProps(cluster: Cluster, vm: Vm) {
  const net = cluster.network;
  return {
    role: vm.role,
    vmId: vm.vmId,
    node: vm.node,
    address: `${vm.ip}/${parseCidr(net.cidr).prefix}`,
    gateway: net.gateway,
    dns: { domain: cluster.domain, servers: net.dns },
    bridge: net.bridge,
    vlanId: net.vlanId,
    cores: vm.cores,
    memoryGiB: vm.memoryGiB,
    diskGiB: vm.diskGiB,
    dataDiskGiB: vm.dataDiskGiB,
    datastore: vm.datastore,
    labName: cluster.name,
  } satisfies Partial<K3sNodeVmProps>;
}
