// Which Applications each Application needs applied before its own: those that create what its
// objects cannot be applied, admitted or bound without — the CRDs of its custom resources, the
// objects they reference (Namespace, Gateway, issuer, StorageClass, RuntimeClass, Secrets…),
// the CRDs its controllers need at start and the node plugins of its volumes. The same
// references the sync-order rules check, read as edges of a graph instead of as deadlines.
// Not an extended resource a pod requests (nvidia.com/gpu): the pod is admitted without it and
// waits Pending until a device plugin advertises it, and the scheduler retries it when a node's
// allocatable changes — Kubernetes orders that at run time, so the plugin may share its wave.
import { builtinGroups } from "../../../../charts/k8s-app";
import { groupOf, versionOf, type Context } from "./context";
import { podSpecOf } from "../../validate/kubernetes-objects";
import type { Unit } from "./model";
import { needsOf } from "./rules/object-references";
import { podRefs } from "./rules/pod-references";

const workloadKinds = new Set(["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob"]);

/** Application → the other Applications it needs something from. */
export function applicationNeeds({ world, provided, pods }: Context): Map<Unit, Set<Unit>> {
  const needs = new Map<Unit, Set<Unit>>();
  for (const unit of world.units.filter((u) => u.kind === "application")) {
    const from = new Set<Unit>();
    const add = (provider: Unit | undefined) => provider && provider !== unit && provider.kind === "application" && from.add(provider);
    const crd = (apiVersion: string, kind: string) => {
      const group = groupOf(apiVersion);
      if (!builtinGroups.has(group)) for (const p of provided.crdProvisions(group, kind, versionOf(apiVersion))) add(p.unit);
    };
    const object = (kind: string, namespace: string | undefined, name: string) => {
      for (const p of provided.objectProvisions(kind, namespace, name)) add(p.unit);
    };
    for (const o of unit.objects) {
      crd(o.apiVersion, o.kind);
      for (const [kind, namespace, name] of needsOf(o, unit)) object(kind, namespace, name);
      for (const parent of o.kind === "HTTPRoute" ? (o.spec?.parentRefs ?? []) : []) object("Gateway", parent.namespace ?? o.metadata.namespace, parent.name);
      if (o.kind === "Gateway") object("GatewayClass", undefined, o.spec?.gatewayClassName);
      if (workloadKinds.has(o.kind))
        for (const [kind, name] of podRefs(podSpecOf(o) ?? {})) object(kind, kind === "RuntimeClass" ? undefined : o.metadata.namespace, name);
    }
    if (unit.application) object("Namespace", undefined, unit.application.namespace);
    for (const { facts } of unit.facts) {
      for (const o of facts.objects) crd(o.apiVersion, o.kind);
      for (const w of facts.workloads) {
        for (const secret of w.secrets ?? []) object("Secret", w.namespace, secret);
        if (w.volumeStorageClass) object("StorageClass", undefined, w.volumeStorageClass);
      }
      for (const requirement of facts.startRequires) for (const c of requirement.crds) crd(`${c.group}/${c.versions[0]}`, c.kind);
    }
    for (const pod of pods.filter((p) => p.unit === unit)) {
      for (const storageClass of pod.storageClasses)
        for (const provider of world.units)
          if (provider.facts.some(({ facts }) => facts.nodePlugins.some((n) => n.storageClass === storageClass))) add(provider);
    }
    needs.set(unit, from);
  }
  return needs;
}
