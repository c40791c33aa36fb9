// Reads a rendered dist/k8s tree, and the facts the reference checks need from the spec.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Cluster } from "../../../cluster/schema";
import { platformComponents } from "../../../charts/platform";
import { clusterScopedKinds } from "../../../charts/k8s-app";
import type { KubernetesObject, KubernetesSchemas } from "./kubernetes-schemas";
import type { ReferenceContext, RenderedObject } from "./kubernetes-references";
import { listFiles } from "../output-tree";

/** Where the upstream CRD files are: HOMELAB_CRDS_DIR, else shared/reference/crds beside the repository. */
export function crdDirectory(root: string): string {
  const dir = resolve(process.env.HOMELAB_CRDS_DIR ?? join(root, "..", "shared", "reference", "crds"));
  if (!existsSync(dir)) throw new Error(`CRD folder ${dir} not found; set HOMELAB_CRDS_DIR to a folder with the upstream CRD files`);
  return dir;
}

export function readRendered(k8sDir: string): RenderedObject[] {
  const files = listFiles(k8sDir).filter((file) => file.endsWith(".yaml"));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), "utf8"))
      .map((doc) => doc.toJS() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null)
      .map((object) => ({ file, object })),
  );
}

export function referenceContext(cluster: Cluster, k8sDir: string, schemas: KubernetesSchemas): ReferenceContext {
  const components = platformComponents(cluster);
  return {
    directories: new Set(readdirSync(k8sDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)),
    renderedPath: cluster.gitops.path,
    renderedRepo: cluster.gitops.repoUrl,
    preexistingNamespaces: new Set(["default", "kube-system", "kube-public", "kube-node-lease", ...components.filter((c) => c.upstreamCreatesNamespace).map((c) => c.namespace)]),
    dependencies: new Map(components.map((c) => [c.name, c.dependsOn])),
    isClusterScoped: (o: KubernetesObject) => (schemas.scopeOf(o.apiVersion, o.kind) ?? (clusterScopedKinds.has(o.kind) ? "Cluster" : "Namespaced")) === "Cluster",
  };
}
