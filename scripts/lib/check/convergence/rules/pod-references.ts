// Rule "sync-order", pod part: a pod starts only when its RuntimeClass, ServiceAccount and the
// Secrets and ConfigMaps it reads exist (optional references aside); until then its workload is
// Progressing and so is its Application. Chart workloads declare the Secrets they read in facts.
import type { Finding } from "../../findings";
import { notInTime, type Context } from "../context";
import { objectId, podSpecOf } from "../../../validate/kubernetes-objects";
import type { K8sObject, Unit } from "../model";
import type { Provided } from "../provided";

const workloadKinds = new Set(["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob"]);

type Ref = readonly [kind: "Secret" | "ConfigMap" | "ServiceAccount" | "RuntimeClass", name: string];

/** Every non-optional reference of a pod spec. */
export function podRefs(spec: any): Ref[] {
  const refs: Ref[] = [];
  if (spec.runtimeClassName) refs.push(["RuntimeClass", spec.runtimeClassName]);
  if (spec.serviceAccountName && spec.serviceAccountName !== "default") refs.push(["ServiceAccount", spec.serviceAccountName]);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s && !s.optional) refs.push(["Secret", s.name]);
      if (m && !m.optional) refs.push(["ConfigMap", m.name]);
    }
    for (const f of c.envFrom ?? []) {
      if (f.secretRef && !f.secretRef.optional) refs.push(["Secret", f.secretRef.name]);
      if (f.configMapRef && !f.configMapRef.optional) refs.push(["ConfigMap", f.configMapRef.name]);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret && !v.secret.optional) refs.push(["Secret", v.secret.secretName]);
    if (v.configMap && !v.configMap.optional) refs.push(["ConfigMap", v.configMap.name]);
  }
  for (const p of spec.imagePullSecrets ?? []) refs.push(["Secret", p.name]);
  return refs;
}

function check(id: string, namespace: string, refs: readonly Ref[], unit: Unit, provided: Provided, origin: string): Finding[] {
  return refs.flatMap(([kind, name]) => {
    const problem = notInTime(
      provided.object(kind, kind === "RuntimeClass" ? undefined : namespace, name),
      unit,
      `${kind} ${kind === "RuntimeClass" ? "" : `${namespace}/`}${name}`,
    );
    return problem
      ? [
          {
            file: unit.file,
            object: id,
            rule: "sync-order",
            message: `${id} (${origin}, ${unit.label}) needs ${problem}; its pods do not start and the Application stays Progressing`,
            fix: `create the ${kind} in the same or an earlier wave, or deliver it with the bootstrap (infra/bootstrap/)`,
          },
        ]
      : [];
  });
}

export function checkPodReferences({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  for (const unit of world.units) {
    for (const o of unit.objects.filter((x: K8sObject) => workloadKinds.has(x.kind))) {
      findings.push(...check(objectId(o), o.metadata.namespace!, podRefs(podSpecOf(o) ?? {}), unit, provided, "rendered"));
    }
    for (const { origin, facts } of unit.facts) {
      for (const w of facts.workloads)
        findings.push(
          ...check(
            objectId(w),
            w.namespace,
            (w.secrets ?? []).map((s) => ["Secret", s] as const),
            unit,
            provided,
            origin,
          ),
        );
    }
  }
  return findings;
}
