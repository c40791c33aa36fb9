// Rule "sync-order", CRD part: a custom resource needs a CRD that serves its apiVersion, from
// the bootstrap, an earlier wave, or its own Application (Argo CD applies CRDs first, and an
// operator that registers its CRDs at start makes the next retry succeed). Another Application
// of the same wave does not count: their syncs run side by side, and the apply fails until a
// retry. Chart objects of other charts' kinds (cert-manager Issuers in a chart) count too.
import { builtinGroups } from "../../../../../charts/k8s-app";
import type { Finding } from "../../findings";
import { groupOf, versionOf, type Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { Unit } from "../model";

export function checkCrdReferences({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  const check = (unit: Unit, apiVersion: string, kind: string, id: string, origin: string) => {
    const group = groupOf(apiVersion);
    if (builtinGroups.has(group)) return;
    const provisions = provided.crdProvisions(group, kind, versionOf(apiVersion));
    if (provisions.some((p) => p.unit === unit || p.unit.stage < unit.stage || (unit.kind !== "application" && p.unit.kind !== "application"))) return;
    const later = provided.crd(group, kind, versionOf(apiVersion));
    const other = provided.crd(group, kind);
    const problem = later
      ? `${later.unit.label} installs it ${later.unit.stage === unit.stage ? "in the same wave, side by side" : "only later"}`
      : other
        ? `the CRD ${kind}.${group} installed here does not serve ${apiVersion}`
        : `no CRD for ${kind}.${group} is installed by this output or the charts' facts`;
    findings.push({
      file: unit.file,
      object: id,
      rule: "sync-order",
      message: `${id} (${origin}, ${unit.label}) is a ${apiVersion} ${kind}: ${problem}`,
      fix: "install the CRD in the bootstrap or an earlier wave (a dependsOn of the component), at a version that serves this apiVersion",
    });
  };
  for (const unit of world.units) {
    for (const o of unit.objects) check(unit, o.apiVersion, o.kind, objectId(o), "rendered");
    for (const { origin, facts } of unit.facts) for (const o of facts.objects) check(unit, o.apiVersion, o.kind, objectId(o), origin);
  }
  return findings;
}
