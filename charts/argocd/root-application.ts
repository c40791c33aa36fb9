// The root of the app-of-apps: one Application that syncs dist/k8s/argocd-apps from the
// rendered branch. Bootstrap creates it once; afterwards it manages itself from that directory.
import type { ApplicationSpec } from "../../imports/argocd-application-argoproj.io";
import type { Cluster } from "../../cluster/schema";
import { retryPolicy } from "./retry";

export const appsDirectory = "argocd-apps";

/** The root Application's name (in Argo CD's namespace); its health check passes over it by this name. */
export const rootApplicationName = "root";

export function rootApplicationSpec(cluster: Cluster): ApplicationSpec {
  return {
    project: "default",
    destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
    source: { repoUrl: cluster.gitops.repoUrl, targetRevision: cluster.gitops.renderedBranch, path: `${cluster.gitops.path}/${appsDirectory}` },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ["PruneLast=true"],
      retry: { ...retryPolicy, backoff: { ...retryPolicy.backoff } },
    },
  };
}
