// Every pod template of the converged cluster: the workloads we render (bootstrap and Argo CD)
// and those the charts' facts describe, each with where it may run and what it requests. A
// component installed by the bootstrap and then by Argo CD counts once, as Argo CD runs it.
import type { WorkloadFact } from "../../../../charts/platform/upstream-facts";
import { objectId } from "../../validate/kubernetes-objects";
import { quantity } from "./allocatable";
import type { K8sObject, PodTemplate, Unit } from "./model";

const workloadKinds = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

export function podTemplates(units: readonly Unit[]): PodTemplate[] {
  const runtimeClasses = new Map(units.flatMap((u) => u.objects.filter((o) => o.kind === "RuntimeClass").map((o) => [o.metadata.name, o] as const)));
  const claims = new Map(
    units.flatMap((u) =>
      u.objects
        .filter((o) => o.kind === "PersistentVolumeClaim")
        .map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.spec?.storageClassName as string] as const),
    ),
  );
  const byId = new Map<string, PodTemplate>();
  for (const unit of units) {
    for (const object of unit.objects.filter((o) => workloadKinds.has(o.kind))) {
      const pod = fromObject(object, unit, runtimeClasses, claims);
      byId.set(pod.id, pod);
    }
    for (const { origin, facts } of unit.facts) {
      for (const workload of facts.workloads) {
        const pod = fromFact(workload, unit, origin);
        byId.set(pod.id, pod);
      }
    }
  }
  return [...byId.values()];
}

/** The DaemonSet of that name, in whatever namespace (a chart fact names a node plugin by name). */
export const daemonSetNamed = (pods: readonly PodTemplate[], name: string) => pods.find((p) => p.kind === "DaemonSet" && p.id.endsWith(`/${name}`));

export function fromFact(w: WorkloadFact, unit: Unit, origin: string): PodTemplate {
  return {
    id: objectId(w),
    file: unit.file,
    unit,
    kind: w.kind,
    replicas: w.kind === "DaemonSet" ? 1 : (w.replicas ?? 1),
    nodeSelector: w.nodeSelector ?? {},
    ...(w.nodeAffinity ? { nodeAffinity: w.nodeAffinity } : {}),
    tolerations: w.tolerations,
    requests: Object.fromEntries(Object.entries(w.requests ?? {}).map(([r, v]) => [r, quantity(r, v)])),
    onePerNode: w.onePerNode ?? false,
    storageClasses: w.volumeStorageClass ? [w.volumeStorageClass] : [],
    origin: `${origin}${w.runtime ? " (created at run time)" : ""}`,
  };
}

function fromObject(o: K8sObject, unit: Unit, runtimeClasses: ReadonlyMap<string, K8sObject>, claims: ReadonlyMap<string, string>): PodTemplate {
  const spec = o.spec?.template?.spec ?? {};
  // A RuntimeClass's scheduling block is merged into the pods that name it (RuntimeClass admission).
  const scheduling = spec.runtimeClassName ? runtimeClasses.get(spec.runtimeClassName)?.scheduling : undefined;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const antiAffinity = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const namespace = o.metadata.namespace;
  const claimed = (spec.volumes ?? []).flatMap((v: any) => (v.persistentVolumeClaim ? [claims.get(`${namespace}/${v.persistentVolumeClaim.claimName}`)] : []));
  const templates = (o.spec?.volumeClaimTemplates ?? []).map((t: any) => t.spec?.storageClassName);
  return {
    id: objectId(o),
    file: unit.file,
    unit,
    kind: o.kind as PodTemplate["kind"],
    replicas: o.kind === "DaemonSet" ? 1 : (o.spec?.replicas ?? 1),
    nodeSelector: { ...(spec.nodeSelector ?? {}), ...(scheduling?.nodeSelector ?? {}) },
    ...(terms ? { nodeAffinity: terms.map((t: any) => t.matchExpressions ?? []) } : {}),
    tolerations: [...(spec.tolerations ?? []), ...(scheduling?.tolerations ?? [])],
    requests: podRequests(spec),
    onePerNode: antiAffinity.some((a: any) => a.topologyKey === "kubernetes.io/hostname"),
    storageClasses: [...claimed, ...templates].filter((c): c is string => !!c),
    origin: "rendered",
    ...(spec.runtimeClassName ? { runtimeClassName: spec.runtimeClassName } : {}),
  };
}

/** Containers and native sidecars add up; a plain init container counts only if it asks for more. */
function podRequests(spec: any): Record<string, number> {
  const of = (c: any): Record<string, number> => {
    const limits = c.resources?.limits ?? {};
    const extended = Object.fromEntries(Object.entries(limits).filter(([r]) => r !== "cpu" && r !== "memory"));
    return Object.fromEntries(Object.entries({ ...extended, ...(c.resources?.requests ?? {}) }).map(([r, v]) => [r, quantity(r, v as string)]));
  };
  const sum = (list: Record<string, number>[]) =>
    list.reduce<Record<string, number>>((acc, r) => {
      for (const [k, v] of Object.entries(r)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
  const inits: any[] = spec.initContainers ?? [];
  const running = sum([...(spec.containers ?? []), ...inits.filter((c) => c.restartPolicy === "Always")].map(of));
  for (const init of inits.filter((c) => c.restartPolicy !== "Always").map(of)) {
    for (const [k, v] of Object.entries(init)) running[k] = Math.max(running[k] ?? 0, v);
  }
  return running;
}
