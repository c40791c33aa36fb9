// What every convergence rule reads: the model, what exists when, and every pod template.
import { clusterScopedKinds } from "../../../../charts/k8s-app";
import type { Finding } from "../findings";
import { objectId } from "../../validate/kubernetes-objects";
import type { K8sObject, PodTemplate, Unit, World } from "./model";
import type { Provided } from "./provided";

export interface Context {
  readonly world: World;
  readonly provided: Provided;
  readonly pods: readonly PodTemplate[];
}

export type Rule = (context: Context) => Finding[];

export const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");
export const versionOf = (apiVersion: string) => apiVersion.split("/").pop()!;

/** Rendered objects without a namespace are cluster-scoped (synth strips it only from those). */
export const isClusterScoped = (o: K8sObject) => !o.metadata.namespace && (clusterScopedKinds.has(o.kind) || o.kind === "APIService");

/** Whether a unit exists by the time `consumer` applies: the same or an earlier stage. */
const inTimeFor = (provider: Unit, consumer: Unit) => provider.stage <= consumer.stage;

/** Why a needed object is not there in time for `consumer`, or undefined when it is. */
export function notInTime(provision: { unit: Unit } | undefined, consumer: Unit, what: string): string | undefined {
  if (!provision) return `${what}, which nothing in this output creates`;
  if (!inTimeFor(provision.unit, consumer)) return `${what}, which ${provision.unit.label} creates only later`;
  return undefined;
}

/** How findings name a unit as an object: its Application, or the HelmChart of a bootstrap file. */
export function unitId(unit: Unit): string {
  if (unit.kind === "application") return `Application/argocd/${unit.name}`;
  const chart = unit.objects.find((o) => o.kind === "HelmChart");
  return chart ? objectId(chart) : "";
}
