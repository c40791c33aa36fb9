// How every check names and reads a rendered object: its id in findings, its pod spec, its
// Argo CD sync wave.
import { syncWaveAnnotation } from "../../../charts/argocd/application";
import type { KubernetesObject } from "./kubernetes-schemas";

export { objectId } from "./object-id";

/** A workload's pod spec: a Pod's own, a CronJob's job template's, else spec.template's. */
export function podSpecOf(object: any): any {
  if (object.kind === "Pod") return object.spec;
  if (object.kind === "CronJob") return object.spec?.jobTemplate?.spec?.template?.spec;
  return object.spec?.template?.spec;
}

/** An Argo CD sync wave (0 when unset). */
export const waveOf = (o: KubernetesObject): number => Number(o.metadata.annotations?.[syncWaveAnnotation] ?? 0);
