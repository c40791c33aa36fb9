// The Proxmox storage definitions of the spec's datastores (/etc/pve/storage.cfg, one per id for
// the whole cluster): directories and ZFS pools. Existing ones are adopted with an import block
// (the import id is the storage id: bpg v0.111.1 fwprovider/storage/resource_generic.go:52-53).
// prevent_destroy on every one: Terraform must never remove a storage from the host, and a
// change of id, path or pool would (RequiresReplace: fwprovider/storage/schema_factory.go:36,
// resource_directory.go:53, resource_zfs.go:53), so such a plan fails instead.
// Datastores with no content are host directories only; lvmthin and nfs storages are defined by
// hand (the spec has no volume group, server or export for them).
import { TerraformStack, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { StorageDirectory } from "../imports/providers/proxmox/storage-directory";
import { StorageZfspool } from "../imports/providers/proxmox/storage-zfspool";
import type { Datastore, ProxmoxNode } from "../cluster/schema";

export interface StorageDefinitionsProps {
  readonly nodes: readonly ProxmoxNode[];
}

export class StorageDefinitions extends Construct {
  private readonly byId = new Map<string, StorageDirectory | StorageZfspool>();

  constructor(scope: Construct, id: string, props: StorageDefinitionsProps) {
    super(scope, id);
    const allNodes = props.nodes.map((n) => n.name);
    const adopted: { readonly to: string; readonly id: string }[] = [];
    for (const [storageId, { store, nodes }] of definitions(props.nodes)) {
      // On every node: no restriction, as Proxmox's own 'local' has none.
      const common = {
        id: storageId,
        content: [...store.content].sort(),
        ...(nodes.length < allNodes.length ? { nodes } : {}),
        lifecycle: { preventDestroy: true },
      };
      const resource =
        store.type === "dir"
          ? // shared: the provider defaults it to true and sends it on every update
            // (fwprovider/storage/resource_directory.go:60-64, model_directory.go:66); the spec's
            // directories are each on one node's disks.
            new StorageDirectory(this, storageId, { ...common, path: store.path!, shared: false })
          : new StorageZfspool(this, storageId, { ...common, zfsPool: store.pool ?? store.id, ...zfsOptions(store) });
      if (store.existing) adopted.push({ to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`, id: storageId });
      this.byId.set(storageId, resource);
    }
    // The top-level import blocks importFrom() would write, without the synth-time validation it
    // adds (cdktf 0.21 lib/terraform-resource.js:246), which runs `terraform version` on the
    // machine that synthesizes and fails where none is installed.
    if (adopted.length) TerraformStack.of(this).addOverride("import", adopted);
  }

  /** What uses a storage waits for its definition (nothing when Terraform does not define it). */
  dependsOn(storageId: string): ITerraformDependable[] {
    const resource = this.byId.get(storageId);
    return resource ? [resource] : [];
  }
}

/**
 * sparse and blocksize as storage.cfg has them. The provider cannot clear either: it sends
 * sparse only when true and blocksize only when set, with no `delete` (proxmox/storage/zfs_types.go:9-10,
 * fwprovider/storage/model_zfs.go:53-61), and reads both back (model_zfs.go:66-82), so a value the
 * spec leaves out would show as a change on every plan. An explicit `sparse 0` reads back as
 * false: the spec says `sparse: false` and thin_provision is false too. Left out, thin_provision
 * stays unset; a storage.cfg without sparse reads back as nothing, and Read keeps the state's
 * value where the API has none (fwprovider/storage/resource_generic.go:112-143, fromAPI over the
 * state), so neither shows a change.
 */
function zfsOptions(store: Datastore): { thinProvision?: boolean; blocksize?: string } {
  return { ...(store.sparse !== undefined ? { thinProvision: store.sparse } : {}), ...(store.blocksize ? { blocksize: store.blocksize } : {}) };
}

/** One definition per managed storage id (spec rules make every node agree), with its nodes. */
function definitions(nodes: readonly ProxmoxNode[]): Map<string, { readonly store: Datastore; readonly nodes: string[] }> {
  const result = new Map<string, { store: Datastore; nodes: string[] }>();
  for (const node of nodes) {
    for (const store of node.datastores) {
      if (store.content.length === 0 || (store.type !== "dir" && store.type !== "zfspool")) continue;
      const entry = result.get(store.id) ?? { store, nodes: [] };
      entry.nodes.push(node.name);
      result.set(store.id, entry);
    }
  }
  return result;
}
