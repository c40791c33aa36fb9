// Rules for the lab's services: Longhorn's replicas, the backup datastore, shared directories,
// the GitOps repository and where local Terraform state may live.
import { posix } from "node:path";
import type { Cluster } from "./schema";
import { unique, type Report } from "./rule-kit";

export function checkServices(spec: Cluster, report: Report) {
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
