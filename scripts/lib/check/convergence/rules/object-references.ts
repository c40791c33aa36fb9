// Rule "sync-order", object part: what an object needs must exist by its wave — Certificate →
// (Cluster)Issuer, PVC → StorageClass, Gateway → its certificate Secret, Application →
// AppProject, a VolSync mover → its VolumeSnapshotClass and repository Secret, and every
// namespaced object → its Namespace. A bootstrap file may need another
// bootstrap file's objects (k3s retries a failed file every 15 s), never an Application's.
import type { Finding } from "../../findings";
import { notInTime, type Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { K8sObject, Unit } from "../model";
import type { Provided } from "../provided";

export type Need = readonly [kind: string, namespace: string | undefined, name: string, why: string];

export function needsOf(o: K8sObject, unit: Unit): Need[] {
  const namespace = o.metadata.namespace;
  const needs: Need[] = [];
  if (namespace) needs.push(["Namespace", undefined, namespace, "it cannot be created outside an existing namespace"]);
  if (o.kind === "Certificate") {
    const ref = o.spec?.issuerRef ?? {};
    const kind = ref.kind ?? "Issuer";
    needs.push([kind, kind === "ClusterIssuer" ? undefined : namespace, ref.name, "the Certificate stays Progressing without it"]);
  }
  if (o.kind === "PersistentVolumeClaim" && o.spec?.storageClassName)
    needs.push(["StorageClass", undefined, o.spec.storageClassName, "the claim stays Pending without it"]);
  // An ACME solver's token lives in cert-manager's cluster resource namespace, its release namespace.
  if (o.kind === "ClusterIssuer") {
    for (const solver of o.spec?.acme?.solvers ?? []) {
      const ref = solver.dns01?.cloudflare?.apiTokenSecretRef;
      if (ref) needs.push(["Secret", unit.application?.namespace ?? "cert-manager", ref.name, "its DNS-01 challenges fail without the API token"]);
    }
  }
  if (o.kind === "Gateway") {
    for (const listener of o.spec?.listeners ?? []) {
      for (const ref of listener.tls?.certificateRefs ?? [])
        needs.push(["Secret", ref.namespace ?? namespace, ref.name, `listener ${listener.name} is Degraded (ResolvedRefs=False) without it`]);
    }
  }
  // VolSync's movers: their snapshot class, and the Secret with their repository and password.
  if ((o.kind === "ReplicationSource" || o.kind === "ReplicationDestination") && o.apiVersion.startsWith("volsync.backube/")) {
    const restic = o.spec?.restic ?? {};
    if (restic.volumeSnapshotClassName)
      needs.push(["VolumeSnapshotClass", undefined, restic.volumeSnapshotClassName, "no snapshot is taken and every run waits"]);
    if (restic.repository) needs.push(["Secret", namespace, restic.repository, "VolSync reads the restic repository and password there, and errs without it"]);
  }
  if (o.kind === "Application" && unit.kind === "application" && o.spec?.project && o.spec.project !== "default")
    needs.push(["AppProject", o.metadata.namespace, o.spec.project, "Argo CD does not sync an Application of an unknown project"]);
  return needs;
}

function findingsFor(o: K8sObject, unit: Unit, provided: Provided): Finding[] {
  return needsOf(o, unit).flatMap(([kind, namespace, name, why]) => {
    const problem = notInTime(provided.object(kind, namespace, name), unit, `${kind} ${namespace ? `${namespace}/` : ""}${name}`);
    return problem
      ? [
          {
            file: unit.file,
            object: objectId(o),
            rule: "sync-order",
            message: `${objectId(o)} (${unit.label}) needs ${problem}; ${why}`,
            fix: `create the ${kind} in the same or an earlier wave (a dependsOn of its component), or in the bootstrap`,
          },
        ]
      : [];
  });
}

export function checkObjectReferences({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  for (const unit of world.units) {
    for (const o of unit.objects) findings.push(...findingsFor(o, unit, provided));
    // Chart workloads that mount a volume of a StorageClass (Grafana, VictoriaLogs…).
    for (const { origin, facts } of unit.facts) {
      for (const w of facts.workloads.filter((x) => x.volumeStorageClass)) {
        const problem = notInTime(provided.object("StorageClass", undefined, w.volumeStorageClass!), unit, `StorageClass ${w.volumeStorageClass}`);
        if (problem)
          findings.push({
            file: unit.file,
            object: objectId(w),
            rule: "sync-order",
            message: `${objectId(w)} (${origin}, ${unit.label}) mounts a volume and needs ${problem}`,
            fix: "make the component depend on the one that creates the StorageClass",
          });
      }
    }
  }
  return findings;
}
