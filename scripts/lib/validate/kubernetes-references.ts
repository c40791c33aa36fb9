// Checks that rendered objects fit together: Argo CD paths exist, routes attach to existing
// Gateway listeners, certificates name existing issuers, namespaces are created, names are
// unique, and sync waves respect the declared dependencies.
import type { KubernetesObject } from "./kubernetes-schemas";
import { objectId, waveOf } from "./kubernetes-objects";

export interface RenderedObject {
  /** Path relative to dist/k8s, e.g. gateway/gateway-gateway-homelab.yaml */
  readonly file: string;
  readonly object: KubernetesObject;
}

export interface ReferenceContext {
  /** Directories present under dist/k8s. */
  readonly directories: ReadonlySet<string>;
  /** The rendered branch's path prefix (gitops.path), e.g. k8s. */
  readonly renderedPath: string;
  /** Repository URL Argo CD reads the rendered branch from. */
  readonly renderedRepo: string;
  /** Namespaces that exist without us (kube-system, default…). */
  readonly preexistingNamespaces: ReadonlySet<string>;
  /** Declared dependencies of each Application, by name. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Whether a kind is cluster-scoped. */
  readonly isClusterScoped: (object: KubernetesObject) => boolean;
}

export function checkReferences(rendered: readonly RenderedObject[], context: ReferenceContext): string[] {
  const objects = rendered.map((r) => r.object);
  const namespaces = new Set([...context.preexistingNamespaces, ...ofKind(objects, "Namespace").map((n) => n.metadata.name)]);
  return [
    ...duplicateObjects(rendered),
    ...namespaceProblems(rendered, context, namespaces),
    ...applicationProblems(objects, context, namespaces),
    ...routeProblems(objects),
    ...certificateProblems(objects),
  ];
}

const ofKind = (objects: readonly KubernetesObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Every object is defined once. */
function duplicateObjects(rendered: readonly RenderedObject[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { file, object } of rendered) {
    const key = objectId(object);
    if (seen.has(key)) problems.push(`${file}: ${key} is also defined in ${seen.get(key)}`);
    seen.set(key, file);
  }
  return problems;
}

/** Namespaced kinds have a namespace that exists; cluster-scoped ones have none. */
function namespaceProblems(rendered: readonly RenderedObject[], context: ReferenceContext, namespaces: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { file, object } of rendered) {
    const clusterScoped = context.isClusterScoped(object);
    if (clusterScoped && object.metadata.namespace) problems.push(`${file}: ${object.kind} is cluster-scoped but has namespace ${object.metadata.namespace}`);
    if (!clusterScoped && !object.metadata.namespace) problems.push(`${file}: namespaced ${object.kind} ${object.metadata.name} has no namespace`);
    if (object.metadata.namespace && !namespaces.has(object.metadata.namespace))
      problems.push(`${file}: namespace ${object.metadata.namespace} is never created`);
  }
  return problems;
}

/** Argo CD Applications read paths that exist, deploy into created namespaces, and sync after what they depend on. */
function applicationProblems(objects: readonly KubernetesObject[], context: ReferenceContext, namespaces: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const applications = ofKind(objects, "Application");
  const waves = new Map(applications.map((a) => [a.metadata.name, waveOf(a)]));
  for (const app of applications) {
    const spec = app.spec as { source?: Source; sources?: Source[]; destination?: { namespace?: string } };
    for (const source of [spec.source, ...(spec.sources ?? [])].filter((s): s is Source => !!s)) {
      if (source.repoURL !== context.renderedRepo || !source.path) continue;
      const dir = source.path.startsWith(`${context.renderedPath}/`) ? source.path.slice(context.renderedPath.length + 1) : undefined;
      if (!dir || !context.directories.has(dir)) problems.push(`Application ${app.metadata.name}: path ${source.path} does not exist in the rendered output`);
    }
    const destination = spec.destination?.namespace;
    if (destination && !namespaces.has(destination)) problems.push(`Application ${app.metadata.name}: destination namespace ${destination} is never created`);
    for (const dependency of context.dependencies.get(app.metadata.name) ?? []) {
      if (!waves.has(dependency)) problems.push(`Application ${app.metadata.name}: depends on ${dependency}, which has no Application`);
      else if (waves.get(dependency)! >= waves.get(app.metadata.name)!)
        problems.push(`Application ${app.metadata.name} (wave ${waves.get(app.metadata.name)}) must come after ${dependency} (wave ${waves.get(dependency)})`);
    }
  }
  return problems;
}

/** HTTPRoutes attach to existing Gateway listeners that accept them. */
function routeProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  const gateways = ofKind(objects, "Gateway");
  for (const route of ofKind(objects, "HTTPRoute")) {
    for (const parent of (route.spec as { parentRefs?: ParentRef[] }).parentRefs ?? []) {
      const namespace = parent.namespace ?? route.metadata.namespace;
      const gateway = gateways.find((g) => g.metadata.name === parent.name && g.metadata.namespace === namespace);
      const listeners =
        (gateway?.spec as { listeners?: { name: string; hostname?: string; allowedRoutes?: { namespaces?: { from?: string } } }[] } | undefined)?.listeners ??
        [];
      const listener = listeners.find((l) => l.name === parent.sectionName);
      if (!gateway) problems.push(`HTTPRoute ${route.metadata.namespace}/${route.metadata.name}: Gateway ${namespace}/${parent.name} does not exist`);
      else if (parent.sectionName && !listener)
        problems.push(
          `HTTPRoute ${route.metadata.namespace}/${route.metadata.name}: Gateway ${namespace}/${parent.name} has no listener ${parent.sectionName}`,
        );
      else if (listener && namespace !== route.metadata.namespace && listener.allowedRoutes?.namespaces?.from !== "All")
        problems.push(
          `HTTPRoute ${route.metadata.namespace}/${route.metadata.name}: listener ${parent.sectionName} does not accept routes from other namespaces`,
        );
    }
  }
  return problems;
}

/** Certificates name a ClusterIssuer that exists. */
function certificateProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  const issuers = new Set(ofKind(objects, "ClusterIssuer").map((i) => i.metadata.name));
  for (const certificate of ofKind(objects, "Certificate")) {
    const ref = (certificate.spec as { issuerRef: { kind?: string; name: string } }).issuerRef;
    if (ref.kind === "ClusterIssuer" && !issuers.has(ref.name))
      problems.push(`Certificate ${certificate.metadata.namespace}/${certificate.metadata.name}: ClusterIssuer ${ref.name} does not exist`);
  }
  return problems;
}

interface Source {
  readonly repoURL: string;
  readonly path?: string;
}

interface ParentRef {
  readonly name: string;
  readonly namespace?: string;
  readonly sectionName?: string;
}
