// Rule "reference", route part: every backend of an HTTPRoute is a Service of this output (ours,
// or one a chart renders, from its facts) with the port the route names. Otherwise the route's
// parent status says ResolvedRefs=False (BackendNotFound), Argo CD calls the route Degraded
// (argo-cd@v3.4.4: resource_customizations/gateway.networking.k8s.io/HTTPRoute/health.lua#L45-L52)
// and every request gets a 500 from the Gateway.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";

export function checkRouteBackends({ world }: Context): Finding[] {
  const ports = new Map<string, number[]>();
  for (const unit of world.units) {
    for (const s of unit.objects.filter((o) => o.kind === "Service"))
      ports.set(
        `${s.metadata.namespace}/${s.metadata.name}`,
        (s.spec?.ports ?? []).map((p: any) => p.port),
      );
    for (const { facts } of unit.facts) for (const s of facts.services ?? []) ports.set(`${s.namespace}/${s.name}`, [...s.ports]);
  }
  const findings: Finding[] = [];
  for (const unit of world.units) {
    for (const route of unit.objects.filter((o) => o.kind === "HTTPRoute")) {
      for (const rule of route.spec?.rules ?? []) {
        for (const ref of rule.backendRefs ?? []) {
          if ((ref.group ?? "") !== "" || (ref.kind ?? "Service") !== "Service") continue;
          const service = `${ref.namespace ?? route.metadata.namespace}/${ref.name}`;
          const has = ports.get(service);
          if (has?.includes(ref.port)) continue;
          const id = objectId(route);
          findings.push({
            file: unit.file,
            object: id,
            rule: "reference",
            message: has
              ? `${id} (${unit.label}) sends requests to backend Service ${service} port ${ref.port}, which the Service does not have (it has ${has.join(", ")}): the route is ResolvedRefs=False, Degraded, and answers 500`
              : `${id} (${unit.label}) sends requests to backend Service ${service}, which nothing in this output creates (rendered, or a chart's facts)`,
            fix: has
              ? "give the backendRef a port of the Service (the Service's port, not its targetPort)"
              : "route to a Service this output creates, or declare the chart's Service in its facts (charts/platform/*.ts)",
          });
        }
      }
    }
  }
  return findings;
}
