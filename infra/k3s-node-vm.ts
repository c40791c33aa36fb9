// One k3s node VM, shaped by its role: a full clone of its node's cloud-image template,
// sized from the spec, with static addressing and user-data from cloud-init, and:
// - control planes: deletion protection, started first (startup order 1);
// - workers: the shared directories over virtiofs and an extra disk for Longhorn;
// - GPU workers: the GPU passed through by its PCI mapping (pcie on q35, rombar on).
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentVm, virtualEnvironmentVmNetworkDeviceToTerraform, type VirtualEnvironmentVmConfig } from "../imports/providers/proxmox/virtual-environment-vm";
import type { HardwareMappingDir } from "../imports/providers/proxmox/hardware-mapping-dir";
import type { HardwareMappingPci } from "../imports/providers/proxmox/hardware-mapping-pci";
import type { VirtualEnvironmentPool } from "../imports/providers/proxmox/virtual-environment-pool";
import type { Cluster, Vm } from "../cluster/schema";
import { parseCidr } from "../cluster/ipv4";
import type { VmTemplate } from "./vm-template";
import { withEveryKey } from "./attribute-blocks";
import { UserDataSnippet } from "./user-data-snippet";
import { renderUserData } from "./user-data";
import { vmIgnoreChanges } from "./force-new";
import { stableMac, uefiFirmware, vmHardwareDefaults } from "./vm-hardware";
import { workerRoles } from "../cluster/contract";

export interface K3sNodeVmProps {
  readonly cluster: Cluster;
  readonly vm: Vm;
  readonly template: VmTemplate;
  readonly pool: VirtualEnvironmentPool;
  /** Datastore with content 'snippets' on the VM's node. */
  readonly snippetDatastore: string;
  /** Directory mappings mounted in workers. @default none */
  readonly sharedDirectories?: readonly HardwareMappingDir[];
  /** The PCI mapping of the VM's GPU; required for gpu-workers. */
  readonly gpu?: HardwareMappingPci;
  /** Secret placeholders in the user-data → Terraform expressions. */
  readonly secrets: ReadonlyMap<string, string>;
  /** The VM's rendered user-data, if already rendered. @default renderUserData(cluster, vm) */
  readonly userData?: string;
  /** The definitions of the storages it uses (disks, snippets). @default none */
  readonly storages?: readonly ITerraformDependable[];
}

/** Proxmox starts lower orders first and stops them last. */
const startupOrder: Record<Vm["role"], number> = { "control-plane": 1, worker: 2, "vpn-worker": 2, "gpu-worker": 2 };

export class K3sNodeVm extends Construct {
  readonly vm: VirtualEnvironmentVm;

  constructor(scope: Construct, id: string, props: K3sNodeVmProps) {
    super(scope, id);
    const { cluster, vm } = props;
    const net = cluster.network;
    const isWorker = workerRoles.has(vm.role);

    const userData = new UserDataSnippet(this, "user_data", {
      nodeName: vm.node,
      datastoreId: props.snippetDatastore,
      fileName: `${vm.name}.user-data.yaml`,
      content: props.userData ?? renderUserData(cluster, vm),
      secrets: props.secrets,
      dependsOn: props.storages,
    });

    const disks: VirtualEnvironmentVmConfig["disk"] = [
      { interface: "scsi0", datastoreId: vm.datastore, size: vm.diskGiB, fileFormat: "raw", discard: "on", iothread: true, ssd: true },
    ];
    if (isWorker && vm.dataDiskGiB) {
      // Longhorn replicates and backs up its own volumes; vzdump copies would be redundant.
      disks.push({ interface: "scsi1", datastoreId: vm.datastore, size: vm.dataDiskGiB, fileFormat: "raw", discard: "on", iothread: true, ssd: true, backup: false });
    }

    this.vm = new VirtualEnvironmentVm(this, "vm", {
      ...vmHardwareDefaults,
      nodeName: vm.node,
      vmId: vm.vmId,
      name: vm.name,
      description: `k3s ${vm.role} of ${cluster.name} (${vm.ip}). Managed by Terraform from cluster/ — edit the spec, not this VM.`,
      // Proxmox stores tags sorted; sorting here avoids a perpetual diff.
      tags: [cluster.name, "k3s", vm.role].sort(),
      poolId: props.pool.poolId,
      onBoot: true,
      startup: { order: startupOrder[vm.role], upDelay: vm.role === "control-plane" ? 30 : 10, downDelay: 60 },
      protection: vm.role === "control-plane",
      clone: { vmId: props.template.vmId, nodeName: vm.node, datastoreId: vm.datastore, full: true },
      dependsOn: [props.template.dependable, ...(props.storages ?? [])],
      // On a change of node_name, migrate the VM (with its local disks) instead of recreating it.
      migrate: true,
      cpu: { cores: vm.cores, sockets: 1, type: "host" },
      // No ballooning: the kubelet sizes pods by the memory it sees, and passthrough pins all RAM.
      memory: { dedicated: vm.memoryGiB * 1024, floating: 0 },
      efiDisk: uefiFirmware(vm.datastore),
      disk: disks,
      initialization: {
        datastoreId: vm.datastore,
        interface: "ide2",
        ipConfig: [{ ipv4: { address: `${vm.ip}/${parseCidr(net.cidr).prefix}`, gateway: net.gateway } }],
        dns: { domain: cluster.domain, servers: net.dns },
        userDataFileId: userData.file.id,
      },
      ...(isWorker && props.sharedDirectories?.length
        ? { virtiofs: props.sharedDirectories.map((dir) => ({ mapping: dir.name, cache: "auto" })) }
        : {}),
      ...(props.gpu ? { hostpci: [{ device: "hostpci0", mapping: props.gpu.name, pcie: true, rombar: true }] } : {}),
      // Every clone.* field and user_data_file_id force a new VM (infra/force-new.ts lists the
      // provider's facts). The clone source matters only at creation: moving the VM's datastore
      // moves its disks (disk[*].datastore_id), and a new template never touches running nodes.
      // Cloud-init runs on first boot only, so a changed user-data snippet (a new file) is for
      // new nodes; re-provision one with `terraform apply -replace=…` (docs/terraform.md).
      lifecycle: { ignoreChanges: [...vmIgnoreChanges] },
    });
    const nic = { bridge: net.bridge, model: "virtio", macAddress: stableMac(vm.vmId), ...(net.vlanId ? { vlanId: net.vlanId } : {}) };
    this.vm.addOverride("network_device", withEveryKey(virtualEnvironmentVmNetworkDeviceToTerraform, [nic]));
  }
}
