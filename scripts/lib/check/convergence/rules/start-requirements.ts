// Rule "bootstrap", start part: a controller that looks for its CRDs once, when it starts, and
// stays off if one is missing (Cilium's Gateway API controller) needs them before each start.
// - Its first start, from the bootstrap: from k3s, or a bootstrap file that k3s applies before
//   its own (files go in sorted order). Its GatewayClass then never gets a controller.
// - Every start Argo CD causes: an Application that changes the controller (a chart upgrade)
//   restarts it, and after the hand-over the bootstrap files are skipped (infra/bootstrap/
//   handover.ts), so its CRDs (a newer Gateway API for a newer Cilium) come only from an
//   Application in an earlier wave. In the same wave both sync side by side and the restarted
//   controller may look before its CRDs are there.
import type { Finding } from "../../findings";
import { unitId, type Context } from "../context";
import type { CrdFact, StartRequirement } from "../../../../../charts/platform/upstream-facts";
import type { Provided } from "../provided";
import type { Unit } from "../model";

const beforeFirstStart = (provider: Unit, starter: Unit) =>
  provider.kind === "k3s" || (starter.kind === "bootstrap" ? provider.kind === "bootstrap" && provider.order < starter.order : provider.stage < starter.stage);

const beforeRestart = (provider: Unit, starter: Unit) => provider.kind === "k3s" || (provider.kind === "application" && provider.stage < starter.stage);

function missing(requirement: StartRequirement, unit: Unit, provided: Provided, before: (p: Unit, s: Unit) => boolean): CrdFact[] {
  return requirement.crds.filter((crd) => !provided.crdProvisions(crd.group, crd.kind, crd.versions[0]).some((p) => !p.runtime && before(p.unit, unit)));
}

export function checkStartRequirements({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  const started = new Set<string>();
  for (const unit of world.units) {
    for (const { origin, facts } of unit.facts) {
      for (const requirement of facts.startRequires) {
        const first = !started.has(requirement.controller);
        started.add(requirement.controller);
        if (!first && unit.kind !== "application") continue;
        const restart = !first && unit.kind === "application";
        for (const crd of missing(requirement, unit, provided, restart ? beforeRestart : beforeFirstStart)) {
          const version = crd.versions[0];
          const from =
            provided.crdProvisions(crd.group, crd.kind, version).find((p) => p.unit.kind === "application")?.unit ??
            provided.crd(crd.group, crd.kind, version)?.unit;
          const when = !from
            ? "which nothing installs"
            : from.stage === unit.stage
              ? `which ${from.label} installs in the same wave, side by side`
              : `which ${from.label} installs only after that`;
          findings.push({
            file: unit.file,
            object: unitId(unit),
            rule: "bootstrap",
            message: restart
              ? `${requirement.controller} (${origin}) restarts whenever ${unit.label} changes it and checks once for the ${crd.kind}.${crd.group} ${version} CRD, ${when}: after an upgrade of both, ${requirement.effect}`
              : `${requirement.controller} (${origin}) first starts from ${unit.label} and checks once for the ${crd.kind}.${crd.group} ${version} CRD, ${when}: ${requirement.effect}`,
            fix:
              unit.kind === "bootstrap"
                ? `ship the CRD (${crd.kind} ${version}) in a bootstrap file that sorts before ${unit.name}, and in the Application that manages it afterwards`
                : "install the CRD in an earlier wave (a dependsOn of this component, e.g. cilium on gateway-api in charts/platform/cilium.ts)",
          });
        }
      }
    }
  }
  return findings;
}
