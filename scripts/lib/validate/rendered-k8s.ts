// Reads a rendered dist/k8s tree, and the facts the reference checks need from the spec.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Cluster } from "../../../cluster/schema";
import { platformComponents } from "../../../charts/platform";
import { clusterScopedKinds } from "../../../charts/k8s-app";
import type { KubernetesObject, KubernetesSchemas } from "./kubernetes-schemas";
import type { ReferenceContext, RenderedObject } from "./kubernetes-references";
import { listFiles } from "../output-tree";
import { crdSchemaDirName } from "../crd-schemas";

/** The committed CRD schemas (imports/crd-schemas, written by `npm run import`): no network, no ../shared. */
export function crdDirectory(root: string): string {
  return join(root, crdSchemaDirName);
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
    directories: new Set(
      readdirSync(k8sDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    ),
    renderedPath: cluster.gitops.path,
    renderedRepo: cluster.gitops.repoUrl,
    preexistingNamespaces: new Set([
      "default",
      "kube-system",
      "kube-public",
      "kube-node-lease",
      ...components.filter((c) => c.upstreamCreatesNamespace).map((c) => c.namespace),
    ]),
    dependencies: new Map(components.map((c) => [c.name, c.dependsOn])),
    isClusterScoped: (o: KubernetesObject) =>
      (schemas.scopeOf(o.apiVersion, o.kind) ?? (clusterScopedKinds.has(o.kind) ? "Cluster" : "Namespaced")) === "Cluster",
  };
}
