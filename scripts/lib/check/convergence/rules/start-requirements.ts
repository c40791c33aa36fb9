// Rule "bootstrap", start part: a controller that looks for its CRDs once, when it starts, and
// stays off if one is missing (Cilium's Gateway API controller) needs them before its first
// start — from k3s, a bootstrap file that k3s applies before its own (files go in sorted order),
// or, for an Application, an earlier wave. Its GatewayClass then never gets a controller.
import type { Finding } from "../../findings";
import { unitId, type Context } from "../context";
import type { Unit } from "../model";

const before = (provider: Unit, starter: Unit) =>
  provider.kind === "k3s" || (starter.kind === "bootstrap" ? provider.kind === "bootstrap" && provider.order < starter.order : provider.stage < starter.stage);

export function checkStartRequirements({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  const started = new Set<string>();
  for (const unit of world.units) {
    for (const { origin, facts } of unit.facts) {
      for (const requirement of facts.startRequires) {
        if (started.has(requirement.controller)) continue; // only its first start matters
        started.add(requirement.controller);
        for (const crd of requirement.crds) {
          const version = crd.versions[0];
          const ready = provided.crdProvisions(crd.group, crd.kind, version).some((p) => !p.runtime && before(p.unit, unit));
          if (ready) continue;
          const later = provided.crd(crd.group, crd.kind, version);
          findings.push({
            file: unit.file,
            object: unitId(unit),
            rule: "bootstrap",
            message: `${requirement.controller} (${origin}) first starts from ${unit.label} and checks once for the ${crd.kind}.${crd.group} ${version} CRD, ${later ? `which ${later.unit.label} installs only after that` : "which nothing installs"}: ${requirement.effect}`,
            fix:
              unit.kind === "bootstrap"
                ? `ship the CRD (${crd.kind} ${version}) in a bootstrap file that sorts before ${unit.name}, and in the Application that manages it afterwards`
                : "install the CRD in an earlier wave (a dependsOn of this component)",
          });
        }
      }
    }
  }
  return findings;
}
