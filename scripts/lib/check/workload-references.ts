// References inside workloads: every Service selects the pods of some workload in its
// namespace, and every PVC names a StorageClass that exists (rendered, or created by an
// enabled platform component).
import type { RenderedObject } from "../validate/kubernetes-references";
import type { Finding } from "./findings";
import { objectId } from "../validate/kubernetes-objects";

export function checkWorkloadReferences(rendered: readonly RenderedObject[], platformStorageClasses: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const podLabels = rendered
    .filter(({ object }) => ["Deployment", "StatefulSet", "DaemonSet"].includes(object.kind))
    .map(({ object }) => ({
      namespace: object.metadata.namespace,
      labels: ((object as any).spec?.template?.metadata?.labels ?? {}) as Record<string, string>,
    }));
  const storageClasses = new Set([...platformStorageClasses, ...rendered.filter((r) => r.object.kind === "StorageClass").map((r) => r.object.metadata.name)]);
  for (const { file, object } of rendered) {
    const spec = (object as any).spec ?? {};
    if (object.kind === "Service" && spec.selector && spec.type !== "ExternalName") {
      const matches = podLabels.some(
        (p) => p.namespace === object.metadata.namespace && Object.entries<string>(spec.selector).every(([k, v]) => p.labels[k] === v),
      );
      if (!matches)
        findings.push({
          file: `k8s/${file}`,
          object: objectId(object),
          rule: "reference",
          message: `selects no pods: nothing in ${object.metadata.namespace} has labels ${JSON.stringify(spec.selector)}`,
          fix: "make the selector match a workload's pod template labels",
        });
    }
    if (object.kind === "PersistentVolumeClaim" && spec.storageClassName && !storageClasses.has(spec.storageClassName)) {
      findings.push({
        file: `k8s/${file}`,
        object: objectId(object),
        rule: "reference",
        message: `StorageClass ${spec.storageClassName} does not exist`,
        fix: `use one of: ${[...storageClasses].join(", ") || "(none: enable Longhorn)"}`,
      });
    }
  }
  return findings;
}
