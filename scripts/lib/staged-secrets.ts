// What the pre-commit hook is about to commit of dist/, scanned like `npm run check` scans the
// output (check/secret-gate.ts): the staged content (the index, not the file on disk) of every
// file under dist/ the commit adds or changes, Terraform's working files aside.
import { join } from "node:path";
import { loadCluster } from "../../cluster/load";
import { refuseSecrets, secretFindings } from "./check/secret-gate";
import { Git } from "./git";
import { isTerraformWorkFile } from "./terraform-work-files";

/** Refuses (a Refusal) when a staged file of dist/ holds a secret. */
export function scanStagedOutput(cwd: string, clusterFile?: string): void {
  const git = Git.open(cwd);
  const staged = git
    .read(["diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=AM", "--", "dist"])
    .split("\0")
    .filter((path) => path.startsWith("dist/") && !isTerraformWorkFile(path.slice("dist/".length)));
  if (!staged.length) return;
  // Stage-0 blob ids of those paths: what the commit will hold.
  const ids = new Map<string, string>();
  for (const line of git.read(["ls-files", "-s", "-z", "--", ...staged]).split("\0")) {
    const tab = line.indexOf("\t");
    if (tab >= 0) ids.set(line.slice(tab + 1), line.slice(0, tab).split(" ")[1]);
  }
  const blobs = git.blobs(ids.values());
  const files = [...ids].map(([path, id]) => [path.slice("dist/".length), blobs.get(id)!.toString("utf8")] as const);
  refuseSecrets(secretFindings(files, loadCluster(clusterFile ?? join(git.cwd, "cluster", "homelab.yaml"))), "this commit");
}
