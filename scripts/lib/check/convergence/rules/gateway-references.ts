// Rule "sync-order", Gateway API part: a route is Healthy only once its Gateway accepts it, and
// a Gateway only once its GatewayClass's controller programs it (argo-cd@v3.4.4:
// resource_customizations/gateway.networking.k8s.io/{HTTPRoute,Gateway}/health.lua). A route in
// an earlier wave than its Gateway keeps its Application Progressing, and the root Application
// never reaches the next wave.
import type { Finding } from "../../findings";
import { notInTime, type Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { K8sObject, Unit } from "../model";
import type { Provided } from "../provided";

export function checkGatewayReferences({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  for (const unit of world.units) {
    for (const route of unit.objects.filter((o) => o.kind === "HTTPRoute")) findings.push(...routeFindings(route, unit, provided));
    for (const gateway of unit.objects.filter((o) => o.kind === "Gateway")) {
      const className: string = gateway.spec?.gatewayClassName;
      const problem = notInTime(provided.object("GatewayClass", undefined, className), unit, `GatewayClass ${className}`);
      if (problem)
        findings.push({
          file: unit.file,
          object: objectId(gateway),
          rule: "sync-order",
          message: `${objectId(gateway)} (${unit.label}) needs ${problem}: no controller programs it and it stays Progressing`,
          fix: 'have the Gateway controller\'s chart create the class (cilium: gatewayAPI.gatewayClass.create "true", charts/platform/cilium.ts), before or with the Gateway',
        });
    }
  }
  return findings;
}

/** Each parent Gateway exists by the route's wave. A listener it lacks is rule "reference" (validate/kubernetes-references.ts). */
function routeFindings(route: K8sObject, unit: Unit, provided: Provided): Finding[] {
  const findings: Finding[] = [];
  for (const parent of route.spec?.parentRefs ?? []) {
    const namespace = parent.namespace ?? route.metadata.namespace;
    const problem = notInTime(provided.object("Gateway", namespace, parent.name), unit, `Gateway ${namespace}/${parent.name}`);
    if (problem)
      findings.push({
        file: unit.file,
        object: objectId(route),
        rule: "sync-order",
        message: `${objectId(route)} (${unit.label}) attaches to ${problem}; the route stays Progressing ("Waiting for HTTPRoute status"), so its Application is never Healthy and the root Application never passes wave ${unit.stage}`,
        fix: "render the route in an Application at or after the Gateway's wave (e.g. with the Gateway's own component), or make its Application depend on the Gateway's",
      });
  }
  return findings;
}
