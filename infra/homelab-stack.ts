// The Terraform stack of one lab: everything on the Proxmox cluster the spec describes.
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Cluster } from "../cluster/schema";
import { configureBackend, type BackendOptions } from "./backend";
import { LabBackups } from "./backup-job";
import { BootstrapSecrets } from "./bootstrap-secrets";
import { GpuMappings } from "./gpu-mappings";
import { ReadableStack } from "./homelab-stack-base";
import { K3sNodeVm } from "./k3s-node-vm";
import { nodeVmProps } from "./node-vm-props";
import { renderUserData } from "./user-data";
import { ProxmoxConnection } from "./provider";
import { prebuiltProviderVersions } from "./prebuilt-providers";
import { LabPool } from "./resource-pool";
import { ProxmoxVersionCheck } from "./proxmox-version";
import { SharedDirectories } from "./shared-directories";
import { StorageDefinitions } from "./storage-definitions";
import { labTemplate, type VmTemplate } from "./vm-template";

export interface HomelabStackProps {
  readonly cluster: Cluster;
  readonly backend: BackendOptions;
  /** Rendered user-data by VM name. @default rendered by each node */
  readonly userData?: ReadonlyMap<string, string>;
}

export class HomelabStack extends ReadableStack {
  readonly nodes: readonly K3sNodeVm[];

  constructor(scope: Construct, id: string, props: HomelabStackProps) {
    super(scope, id);
    const { cluster } = props;
    configureBackend(this, cluster.terraform.backend, props.backend);
    new ProxmoxConnection(this, "connection", { proxmox: cluster.proxmox });

    const secrets = new BootstrapSecrets(this, "bootstrap", { cluster });
    // The releases the prebuilt bindings, and so imports/'s schemas, were generated from.
    for (const [name, version] of Object.entries(prebuiltProviderVersions))
      if (this.node.tryFindChild(name)) this.addOverride(`terraform.required_providers.${name}.version`, `= ${version}`);

    new ProxmoxVersionCheck(this, "pve", { atLeast: cluster.proxmox.version });
    const storageDefinitions = new StorageDefinitions(this, "storage", { nodes: cluster.proxmox.nodes });
    const pool = new LabPool(this, "lab", { poolId: cluster.proxmox.pool ?? cluster.name, labName: cluster.name }).pool;
    const gpus = new GpuMappings(this, "gpu", { nodes: cluster.proxmox.nodes });
    const shared = new SharedDirectories(this, "shared", {
      directories: cluster.sharedDirectories,
      nodeNames: cluster.proxmox.nodes.map((n) => n.name),
    });

    const templates = nodeTemplates(this, cluster, storageDefinitions);

    this.nodes = cluster.vms.map((vm) => {
      const node = cluster.proxmox.nodes.find((n) => n.name === vm.node)!;
      const snippetDatastore = node.datastores.find((d) => d.content.includes("snippets"))!.id;
      return new K3sNodeVm(this, vm.name, {
        ...nodeVmProps(cluster, vm),
        template: templates.get(vm.node)!,
        pool,
        snippetDatastore,
        storages: [...new Set([snippetDatastore, vm.datastore])].flatMap((id) => storageDefinitions.dependsOn(id)),
        sharedDirectories: shared.mappings,
        gpu: vm.gpu ? gpus.mapping(vm.gpu) : undefined,
        secrets: secrets.substitutions,
        userData: props.userData?.get(vm.name) ?? renderUserData(cluster, vm),
      });
    });

    if (cluster.backups)
      new LabBackups(this, "backups", {
        backups: cluster.backups,
        pool,
        labName: cluster.name,
        dependsOn: storageDefinitions.dependsOn(cluster.backups.datastore),
      });

    new TerraformOutput(this, "vms", {
      description: "Every lab VM: Proxmox id, node, role and address.",
      value: Object.fromEntries(cluster.vms.map((vm) => [vm.name, { vm_id: vm.vmId, node: vm.node, role: vm.role, ip: vm.ip }])),
    });
  }
}

/** One template per Proxmox node that runs VMs, by node name; ids count up from template.vmId. */
function nodeTemplates(scope: Construct, cluster: Cluster, storageDefinitions: StorageDefinitions): Map<string, VmTemplate> {
  const templates = new Map<string, VmTemplate>();
  const storages =
    cluster.template.source === "cloud-image"
      ? [cluster.template.image.datastore, cluster.template.datastore].flatMap((id) => storageDefinitions.dependsOn(id))
      : [];
  cluster.proxmox.nodes.forEach((node, index) => {
    if (!cluster.vms.some((vm) => vm.node === node.name)) return;
    templates.set(
      node.name,
      labTemplate(scope, `template_${node.name}`, cluster.template, {
        nodeName: node.name,
        vmId: cluster.template.vmId + index,
        bridge: cluster.network.bridge,
        storages,
      }),
    );
  });
  return templates;
}
