// The root of the app-of-apps: one Application that syncs dist/k8s/argocd-apps from the
// rendered branch. Bootstrap creates it once; afterwards it manages itself from that directory.
import type { ApplicationSpec } from "../../imports/argocd-application-argoproj.io";
import type { Cluster } from "../../cluster/schema";
import { retryFor, type RenderedBranch } from "./retry";

export const appsDirectory = "argocd-apps";

/** The root Application's name (in Argo CD's namespace); its health check passes over it by this name. */
export const rootApplicationName = "root";

/** The root Application's spec: no PruneLast (its last wave must stay unwaited, rules/wave-gate.ts); unlimited retries (a path of the rendered branch). */
export function rootApplicationSpec(cluster: Cluster): ApplicationSpec {
  const source = { repoUrl: cluster.gitops.repoUrl, targetRevision: cluster.gitops.renderedBranch, path: `${cluster.gitops.path}/${appsDirectory}` };
  return {
    project: "default",
    destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
    source,
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      retry: retryFor([source], renderedBranchOf(cluster)),
    },
  };
}

/** The lab's rendered branch, as retry.ts compares sources with it. */
export function renderedBranchOf(cluster: Cluster): RenderedBranch {
  return { repoUrl: cluster.gitops.repoUrl, branch: cluster.gitops.renderedBranch };
}
