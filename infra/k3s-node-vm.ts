// One k3s node VM, shaped by its role: a full clone of its node's template (its firmware and
// EFI disk come from the template: the contract in infra/existing-template.ts), sized by its
// props, with static addressing and cloud-init user-data, and:
// - control planes: deletion protection, started first (startup order 1);
// - workers: the shared directories over virtiofs and an extra disk for Longhorn;
// - GPU workers: the GPU passed through by its PCI mapping (pcie on q35, rombar on).
// The construct's id is the VM's name.
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import {
  VirtualEnvironmentVm,
  virtualEnvironmentVmNetworkDeviceToTerraform,
  type VirtualEnvironmentVmConfig,
} from "../imports/providers/proxmox/virtual-environment-vm";
import type { HardwareMappingDir } from "../imports/providers/proxmox/hardware-mapping-dir";
import type { HardwareMappingPci } from "../imports/providers/proxmox/hardware-mapping-pci";
import type { VirtualEnvironmentPool } from "../imports/providers/proxmox/virtual-environment-pool";
import { hasLonghornDisk, workerRoles } from "../cluster/contract";
import type { Role } from "../cluster/schema";
import type { VmTemplate } from "./vm-template";
import { withEveryKey } from "./attribute-blocks";
import { UserDataSnippet } from "./user-data-snippet";
import { vmIgnoreChanges } from "./force-new";
import { stableMac, vmHardwareDefaults } from "./vm-hardware";

export interface K3sNodeVmProps {
  readonly role: Role;
  readonly vmId: number;
  /** The Proxmox node it runs on. */
  readonly node: string;
  /** Its address with prefix length, e.g. 10.10.10.50/24. */
  readonly address: string;
  readonly gateway: string;
  readonly dns: { readonly domain: string; readonly servers: readonly string[] };
  /** Linux bridge of its network card. @default "vmbr0" */
  readonly bridge?: string;
  /** VLAN tag of its network card. @default untagged */
  readonly vlanId?: number;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
  /** A second disk for Longhorn replicas, on workers. @default none */
  readonly dataDiskGiB?: number;
  /** Datastore of its disks (content 'images'). */
  readonly datastore: string;
  /** The lab it belongs to: a tag and its description. */
  readonly labName: string;
  readonly template: VmTemplate;
  readonly pool: VirtualEnvironmentPool;
  /** Datastore with content 'snippets' on its node. */
  readonly snippetDatastore: string;
  /** Its cloud-init user-data (cloud-config text, secrets as placeholders). */
  readonly userData: string;
  /** Secret placeholders in the user-data → Terraform expressions. @default none */
  readonly secrets?: ReadonlyMap<string, string>;
  /** Directory mappings mounted in workers. @default none */
  readonly sharedDirectories?: readonly HardwareMappingDir[];
  /** The PCI mapping of its GPU (gpu-workers). @default none */
  readonly gpu?: HardwareMappingPci;
  /** The definitions of the storages it uses (disks, snippets). @default none */
  readonly storages?: readonly ITerraformDependable[];
}

/** Proxmox starts lower orders first and stops them last. */
const startupOrder: Record<Role, number> = { "control-plane": 1, worker: 2, "vpn-worker": 2, "gpu-worker": 2 };

export class K3sNodeVm extends Construct {
  readonly vm: VirtualEnvironmentVm;

  constructor(scope: Construct, id: string, props: K3sNodeVmProps) {
    super(scope, id);
    const isWorker = workerRoles.has(props.role);
    const userData = new UserDataSnippet(this, "user_data", {
      nodeName: props.node,
      datastoreId: props.snippetDatastore,
      fileName: `${id}.user-data.yaml`,
      content: props.userData,
      secrets: props.secrets,
      dependsOn: props.storages,
    });
    this.vm = new VirtualEnvironmentVm(this, "vm", {
      ...vmHardwareDefaults,
      nodeName: props.node,
      vmId: props.vmId,
      name: id,
      description: `k3s ${props.role} of ${props.labName} (${props.address.split("/")[0]}). Managed by Terraform from cluster/: edit the spec, not this VM.`,
      // Proxmox stores tags sorted; sorting here avoids a perpetual diff.
      tags: [props.labName, "k3s", props.role].sort(),
      poolId: props.pool.poolId,
      onBoot: true,
      startup: { order: startupOrder[props.role], upDelay: props.role === "control-plane" ? 30 : 10, downDelay: 60 },
      protection: props.role === "control-plane",
      clone: { vmId: props.template.vmId, nodeName: props.node, datastoreId: props.datastore, full: true },
      dependsOn: [props.template.dependable, ...(props.storages ?? [])],
      // On a change of node_name, migrate the VM (with its local disks) instead of recreating it.
      migrate: true,
      cpu: { cores: props.cores, sockets: 1, type: "host" },
      // No ballooning: the kubelet sizes pods by the memory it sees, and passthrough pins all RAM.
      memory: { dedicated: props.memoryGiB * 1024, floating: 0 },
      // No efi_disk: on a clone the provider only moves the template's EFI disk, fails when the
      // types differ ("changing the EFI disk type (4m / 2m) is not supported") and never applies
      // pre_enrolled_keys (bpg v0.111.1 proxmoxtf/resource/vm/vm.go:2872-2930); a clone without
      // efi_disk keeps it out of state (vm.go:4789-4795). The maintainer's advice (bpg#759).
      // The apply does not wait for the guest agent's IPs: it starts only once cloud-init has
      // installed it, and the default wait is 15 minutes per VM (vm.go:52 dvAgentTimeout;
      // wait_for_ip.disabled skips the lookup, proxmox/nodes/vms/vms.go:564-570).
      agent: { ...vmHardwareDefaults.agent, waitForIp: { disabled: true } },
      disk: disks(props),
      initialization: {
        datastoreId: props.datastore,
        interface: "ide2",
        ipConfig: [{ ipv4: { address: props.address, gateway: props.gateway } }],
        dns: { domain: props.dns.domain, servers: [...props.dns.servers] },
        userDataFileId: userData.file.id,
      },
      ...(isWorker && props.sharedDirectories?.length ? { virtiofs: props.sharedDirectories.map((dir) => ({ mapping: dir.name, cache: "auto" })) } : {}),
      ...(props.gpu ? { hostpci: [{ device: "hostpci0", mapping: props.gpu.name, pcie: true, rombar: true }] } : {}),
      // Every clone.* field and user_data_file_id force a new VM (infra/force-new.ts lists the
      // provider's facts). The clone source matters only at creation: moving the VM's datastore
      // moves its disks (disk[*].datastore_id), and a new template never touches running nodes.
      // Cloud-init runs on first boot only, so a changed user-data snippet (a new file) is for
      // new nodes; re-provision one with `terraform apply -replace=…` (docs/terraform.md).
      lifecycle: { ignoreChanges: [...vmIgnoreChanges] },
    });
    const nic = { bridge: props.bridge ?? "vmbr0", model: "virtio", macAddress: stableMac(props.vmId), ...(props.vlanId ? { vlanId: props.vlanId } : {}) };
    this.vm.addOverride("network_device", withEveryKey(virtualEnvironmentVmNetworkDeviceToTerraform, [nic]));
  }
}

function disks(props: K3sNodeVmProps): VirtualEnvironmentVmConfig["disk"] {
  const system = { interface: "scsi0", datastoreId: props.datastore, size: props.diskGiB, fileFormat: "raw", discard: "on", iothread: true, ssd: true };
  if (!hasLonghornDisk(props.role, props.dataDiskGiB)) return [system];
  // Longhorn replicates and backs up its own volumes; vzdump copies would be redundant.
  return [system, { ...system, interface: "scsi1", size: props.dataDiskGiB, backup: false }];
}
