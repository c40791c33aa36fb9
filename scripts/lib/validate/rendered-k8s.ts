// Reads a rendered dist/k8s tree, and the facts the reference checks need from the spec.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Cluster } from "../../../cluster/schema";
import { platformComponents } from "../../../charts/platform";
import { clusterScopedKinds } from "../../../charts/k8s-app";
import { k3sNamespaces } from "../../../infra/bootstrap/k3s-facts";
import type { KubernetesObject, KubernetesSchemas } from "./kubernetes-schemas";
import type { ReferenceContext, RenderedObject } from "./kubernetes-references";
import { readTree } from "../output-tree";
import { readYamlDocuments } from "../read-yaml";
import { crdSchemaDirName } from "../crd-schemas";

const k8sPrefix = "k8s/";
const k8sFile = /^k8s\/.+\.yaml$/;

/** The committed CRD schemas (imports/crd-schemas, written by `npm run import`): no network, no ../shared. */
export function crdDirectory(root: string): string {
  return join(root, crdSchemaDirName);
}

/** The objects of every rendered Kubernetes file of an output tree, by path (k8s/<app>/manifests.yaml). */
export function renderedObjects(tree: ReadonlyMap<string, string>): Map<string, KubernetesObject[]> {
  return new Map([...tree].filter(([path]) => k8sFile.test(path)).map(([path, text]) => [path, readYamlDocuments(text)]));
}

/** The same objects as a list, each with its path relative to dist/k8s. */
export function renderedList(objects: ReadonlyMap<string, readonly KubernetesObject[]>): RenderedObject[] {
  return [...objects].flatMap(([path, list]) => list.map((object) => ({ file: path.slice(k8sPrefix.length), object })));
}

/** A rendered k8s directory read from disk (tests render one alone). */
export function readRendered(k8sDir: string): RenderedObject[] {
  return renderedList(renderedObjects(new Map([...readTree(k8sDir)].map(([path, text]) => [`${k8sPrefix}${path}`, text]))));
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
    preexistingNamespaces: new Set([...k3sNamespaces, ...components.filter((c) => c.upstreamCreatesNamespace).map((c) => c.namespace)]),
    dependencies: new Map(components.map((c) => [c.name, c.dependsOn])),
    isClusterScoped: (o: KubernetesObject) =>
      (schemas.scopeOf(o.apiVersion, o.kind) ?? (clusterScopedKinds.has(o.kind) ? "Cluster" : "Namespaced")) === "Cluster",
  };
}
