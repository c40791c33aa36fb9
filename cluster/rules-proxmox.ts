// Rules for the Proxmox side of a spec: the nodes, their datastores and GPUs, the template's
// storage on every node that runs VMs, storage definitions shared by the cluster, and whether
// the VMs fit on their nodes.
import type { Cluster, Datastore, ProxmoxNode } from "./schema";
import { unique, type Report } from "./rule-kit";

export function checkProxmox(spec: Cluster, report: Report) {
  const nodes = spec.proxmox.nodes;
  // The pool defaults to the lab's name, which may start with a digit (a DNS label) where a pool id may not.
  if (spec.proxmox.pool === undefined && !/^[a-zA-Z]/.test(spec.name))
    report(
      ["proxmox", "pool"],
      `is required: the lab's name '${spec.name}' starts with a digit, which a Proxmox pool id may not`,
      "set proxmox.pool, e.g. lab-" + spec.name,
    );
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
  /** GPU mapping name → the node that first listed it. */
  const gpuNames = new Map<string, string>();
  nodes.forEach((node, n) => {
    checkNodeListsUnique(node, n, report);
    checkGpuNamesClusterWide(node, n, gpuNames, report);
    checkDirectoryPaths(node, n, report);
    checkWholeCardFunctions(node, n, report);
    checkTemplate(spec, node, n, report);
    checkSnippetsStore(node, n, report);
  });
}

/** A node lists each datastore and each physical GPU once. */
function checkNodeListsUnique(node: ProxmoxNode, n: number, report: Report) {
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
}

/** PCI mappings are cluster-wide, so a GPU name may appear on one node only; records this node's names. */
function checkGpuNamesClusterWide(node: ProxmoxNode, n: number, gpuNames: Map<string, string>, report: Report) {
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
}

function checkDirectoryPaths(node: ProxmoxNode, n: number, report: Report) {
  node.datastores.forEach((d, i) => {
    if (d.type === "dir" && !d.path)
      report(["proxmox", "nodes", n, "datastores", i, "path"], `directory datastore '${d.id}' has no path`, "set path to its mount point, e.g. /bulk-storage");
  });
}

/** allFunctions passes the whole card, which is addressed by its function 0. */
function checkWholeCardFunctions(node: ProxmoxNode, n: number, report: Report) {
  node.gpus.forEach((gpu, g) => {
    if (gpu.allFunctions && !gpu.pci.endsWith(".0"))
      report(
        ["proxmox", "nodes", n, "gpus", g, "pci"],
        `${gpu.pci} is not function 0, but allFunctions passes the whole card`,
        "give function 0 of the card (its ids, subsystem and IOMMU group too), or set allFunctions: false",
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

/** Cloud-init user-data is uploaded as a snippet, so every node needs somewhere to put it. */
function checkSnippetsStore(node: ProxmoxNode, n: number, report: Report) {
  const snippets = node.datastores.some((d) => d.content.includes("snippets"));
  if (!snippets)
    report(
      ["proxmox", "nodes", n, "datastores"],
      `node ${node.name} has no datastore with content 'snippets' for cloud-init user-data`,
      "add 'snippets' to the content of a directory datastore such as 'local'",
    );
}
/**
 * A storage definition is cluster-wide (/etc/pve/storage.cfg): one id means one type and one
 * path or pool on every node that lists it. Two features need Proxmox VE 8.4: downloading a
 * .qcow2 image into 'import' content (bpg/terraform-provider-proxmox v0.111.1
 * docs/resources/download_file.md, file_name: "wrong file extension" before 8.4) and directory
 * mappings for virtiofs (new in Proxmox VE 8.4, its release notes).
 */
export function checkStorageDefinitions(spec: Cluster, report: Report) {
  const first = new Map<string, { readonly node: number; readonly store: Datastore }>();
  spec.proxmox.nodes.forEach((node, n) =>
    node.datastores.forEach((store, i) => {
      const seen = first.get(store.id);
      if (!seen) return void first.set(store.id, { node: n, store });
      const { type, path, pool, existing, sparse, blocksize } = seen.store;
      const differs =
        store.type !== type ||
        store.path !== path ||
        (store.pool ?? store.id) !== (pool ?? seen.store.id) ||
        store.existing !== existing ||
        store.sparse !== sparse ||
        store.blocksize !== blocksize;
      if (differs) {
        report(
          ["proxmox", "nodes", n, "datastores", i],
          `storage '${store.id}' differs from proxmox.nodes[${seen.node}]'s (type, path, pool, existing, sparse or blocksize); a Proxmox storage id is one definition for the whole cluster`,
          "give both the same type, path, pool, existing, sparse and blocksize, or use another id",
        );
      }
    }),
  );
  spec.proxmox.nodes.forEach((node, n) =>
    node.datastores.forEach((store, i) => {
      if (store.type === "zfspool") return;
      if (store.sparse !== undefined)
        report(
          ["proxmox", "nodes", n, "datastores", i, "sparse"],
          `sparse is a ZFS pool setting, and '${store.id}' is a ${store.type} storage`,
          "remove sparse",
        );
      if (store.blocksize)
        report(
          ["proxmox", "nodes", n, "datastores", i, "blocksize"],
          `blocksize is a ZFS pool setting, and '${store.id}' is a ${store.type} storage`,
          "remove blocksize",
        );
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

export function checkCapacity(spec: Cluster, report: Report) {
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
