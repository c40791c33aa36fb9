// AppProjects: "platform" may install anything anywhere (CRDs, cluster roles, kube-system);
// "apps" may only deploy namespaced objects into the app namespaces, from our repository.
import type { Construct } from "constructs";
import { AppProject } from "../../imports/argocd-appproject-argoproj.io";
import { syncWaveAnnotation } from "./application";
import { namespaces } from "../../cluster/contract";

export interface ProjectsProps {
  readonly renderedRepo: string;
  readonly platformRepos: readonly string[];
  readonly platformNamespaces: readonly string[];
  readonly appNamespaces: readonly string[];
  readonly wave: number;
}

const inCluster = "https://kubernetes.default.svc";

export function projects(scope: Construct, props: ProjectsProps): void {
  const metadata = (name: string) => ({ name, namespace: namespaces.argocd, annotations: { [syncWaveAnnotation]: String(props.wave) } });
  new AppProject(scope, "project-platform", {
    metadata: metadata("platform"),
    spec: {
      description: "Cluster platform: CNI, storage, certificates, DNS, GitOps, observability",
      sourceRepos: [props.renderedRepo, ...props.platformRepos].sort(),
      destinations: props.platformNamespaces.map((namespace) => ({ server: inCluster, namespace })),
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  });
  new AppProject(scope, "project-apps", {
    metadata: metadata("apps"),
    spec: {
      description: "Workloads: namespaced objects in the app namespaces only",
      sourceRepos: [props.renderedRepo],
      destinations: props.appNamespaces.map((namespace) => ({ server: inCluster, namespace })),
      clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
    },
  });
}
