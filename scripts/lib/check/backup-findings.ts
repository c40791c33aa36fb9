// The backup-exposure rule of `npm run check`, over a stack's Terraform JSON: a vzdump job whose
// files land inside a host directory that a directory mapping shares into a VM. vzdump writes to
// <storage path>/dump (proxmox/pve-storage master 0c56bad8, src/PVE/Storage/Plugin.pm:844 and
// get_subdir; a storage's content-dirs could move it, which the provider does not set); a VM that
// mounts the mapping (virtiofs) exposes that directory to every pod that mounts the guest path:
// the pods can read the backups (the control planes' disks hold etcd, the secrets-encryption key
// and the k3s tokens) and delete them. Precise by construction: it needs the job's storage to be
// a directory storage of the stack, a mapping path on a node that storage serves that holds its
// dump directory, and a VM on that node that uses the mapping.
import type { Finding } from "./findings";
import { backupRepository } from "../../../cluster/app-backups";
import type { RenderedObject } from "../validate/kubernetes-references";
import { objectId, podSpecOf } from "../validate/kubernetes-objects";

interface Storage {
  readonly path: string;
  readonly nodes?: readonly string[];
}

export function checkBackupExposure(file: string, stack: Record<string, any>): Finding[] {
  const resources = stack.resource ?? {};
  const storages = new Map<string, Storage>();
  for (const [name, s] of Object.entries<any>(resources.proxmox_storage_directory ?? {}))
    for (const id of [s.id, `\${proxmox_storage_directory.${name}.id}`]) storages.set(id, { path: s.path, nodes: s.nodes });
  const vms = Object.values<any>(resources.proxmox_virtual_environment_vm ?? {});
  const findings: Finding[] = [];
  for (const [jobName, job] of Object.entries<any>(resources.proxmox_backup_job ?? {})) {
    const storage = storages.get(job.storage);
    if (!storage?.path) continue;
    const dump = `${storage.path.replace(/\/+$/, "")}/dump`;
    for (const [mappingName, mapping] of Object.entries<any>(resources.proxmox_hardware_mapping_dir ?? {})) {
      const references = new Set([mapping.name, `\${proxmox_hardware_mapping_dir.${mappingName}.name}`]);
      for (const { node, path } of mapping.map ?? []) {
        if (!within(dump, path) || (storage.nodes && !storage.nodes.includes(node))) continue;
        const users = vms.filter((vm) => vm.node_name === node && (vm.virtiofs ?? []).some((fs: any) => references.has(fs.mapping))).map((vm) => vm.name);
        if (!users.length) continue;
        findings.push({
          file,
          object: `proxmox_backup_job.${jobName}`,
          rule: "backup-exposure",
          message: `writes vzdump files to ${dump} on ${node} (storage '${job.storage}'), inside ${path}, which the directory mapping '${mapping.name}' shares into ${users.join(", ")}: every pod that mounts it can read the backups (etcd, the k3s tokens, the secrets-encryption key) and delete them`,
          fix: "give the backup job a directory storage on a path outside every shared directory (e.g. its own ZFS dataset), or accept the exposure with a check exemption (docs/security.md, Backups under a shared directory)",
        });
      }
    }
  }
  return findings;
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, "");
  return path === base || path.startsWith(`${base}/`) || base === "";
}

/**
 * The same exposure for the app backups' restic repositories (cluster/app-backups.ts): the
 * repository server's directory inside a host path that other workloads mount (an app's /data).
 * Their pods can delete the repositories; restic's encryption keeps them from reading them.
 */
export function checkRepositoryExposure(rendered: readonly RenderedObject[]): Finding[] {
  const hostPaths = (object: any): string[] => (podSpecOf(object)?.volumes ?? []).flatMap((v: any) => (v.hostPath?.path ? [v.hostPath.path] : []));
  const workloads = rendered.filter(({ object }) => workloadKinds.has(object.kind));
  const server = workloads.find(({ object }) => object.metadata.namespace === backupRepository.namespace && object.metadata.name === backupRepository.name);
  if (!server) return [];
  const findings: Finding[] = [];
  for (const repositories of hostPaths(server.object)) {
    const readers = workloads
      .filter((w) => w !== server)
      .flatMap(({ object }) =>
        hostPaths(object)
          .filter((path) => within(repositories, path))
          .map((path) => `${objectId(object)} (${path})`),
      );
    if (!readers.length) continue;
    findings.push({
      file: `k8s/${server.file}`,
      object: objectId(server.object),
      rule: "backup-exposure",
      message: `serves the app backups' repositories from ${repositories}, which ${readers.join(", ")} also mount${readers.length === 1 ? "s" : ""}: their pods can delete the repositories (restic's encryption keeps them from reading them)`,
      fix: "keep the repositories on a shared directory no app mounts (platform.volsync.sharedDirectory: a dataset of its own; docs/security.md, Backups under a shared directory), or accept the exposure with a check exemption",
    });
  }
  return findings;
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]);
