// Rule "wave-gate": what Argo CD waits on. A sync applies one wave at a time, marks what it
// applied Running, and starts the next wave only when every object of this one is Healthy
// (Degraded fails the sync, anything else waits, with no timeout by default): argo-cd v3.4.4
// gitops-engine/pkg/sync/sync_context.go#L1549-L1550, #L1700-L1708 (applied → Running),
// #L525-L556 (health of what runs), #L558-L581 (wait). Only the last wave is applied without
// waiting: the operation succeeds "EVEN if those objects subsequently degrade" (#L688-L697).
// - An Application of the root Application in an earlier wave that no later one needs — none of
//   whose objects cannot be applied, admitted or bound without it (needs.ts) — holds back every
//   later wave for nothing: a DaemonSet that cannot start on one node (a GPU worker without its
//   driver, a node down) keeps it Progressing, and the Gateway, the observability stack and the
//   apps are never synced — nor, while that operation runs, any later commit. It belongs in the
//   last wave.
// - PruneLast=true moves every prune of a sync into a wave of its own after the last
//   (sync_context.go#L1107-L1124; docs/user-guide/sync-options.md#L211-L214, "after the other
//   resources have been deployed and become healthy"): a sync that deletes anything then waits on
//   the last wave too, so one resource that never turns Healthy holds that Application's
//   operation, and every later commit to it, for ever.
import type { Finding } from "../../findings";
import { objectId } from "../../../validate/kubernetes-objects";
import type { Context } from "../context";
import type { K8sObject, Unit } from "../model";
import { applicationNeeds } from "../needs";

export function checkWaveGate(context: Context): Finding[] {
  return [...unneededGates(context), ...pruneLastWaits(context)];
}

function unneededGates(context: Context): Finding[] {
  const { world } = context;
  // The Applications the root Application syncs; the root itself (it applies the others) aside.
  const children = world.units.filter((u) => u.kind === "application" && !u.objects.some((o) => o.kind === "Application"));
  if (!children.length) return [];
  const last = Math.max(...children.map((u) => u.stage));
  const needs = applicationNeeds(context);
  const findings: Finding[] = [];
  for (const unit of children.filter((u) => u.stage < last)) {
    const later = children.filter((u) => u.stage > unit.stage);
    if (later.some((u) => needs.get(u)?.has(unit))) continue;
    const held = later.map((u) => u.name);
    findings.push({
      file: unit.file,
      object: `Application/argocd/${unit.name}`,
      rule: "wave-gate",
      message:
        `${unit.label} gates every later wave, yet nothing after it needs it: while it is not Healthy (one node its pods cannot start on is enough) the root Application never syncs ${held.slice(0, 4).join(", ")}${held.length > 4 ? ` and ${held.length - 4} more` : ""}` +
        deviceNote(context, unit, later),
      fix: "let nothing but what it needs decide its wave: a component no other depends on belongs in the last wave (charts/argocd/waves.ts places it there from dependsOn)",
    });
  }
  return findings;
}

/** For a device plugin: the later Applications whose pods request what it advertises, and why that does not make them need it. */
function deviceNote({ pods }: Context, unit: Unit, later: readonly Unit[]): string {
  const resources = new Set(unit.facts.flatMap(({ facts }) => facts.deviceResources.map((d) => d.resource)));
  const requests = pods
    .filter((p) => later.includes(p.unit))
    .flatMap((p) =>
      Object.keys(p.requests)
        .filter((r) => resources.has(r))
        .map((r) => `${p.unit.name} requests ${r}`),
    );
  if (!requests.length) return "";
  return `; ${[...new Set(requests)].join(", ")}, which is no reason: a pod that requests an extended resource waits Pending until the plugin advertises it`;
}

/** Every Application the output applies: the root Application's children, the root itself, its bootstrap copy. */
function applications(units: readonly Unit[]): { unit: Unit; app: K8sObject }[] {
  return units.flatMap((unit) => {
    if (unit.kind === "application") return unit.manifest ? [{ unit, app: unit.manifest }] : [];
    return unit.objects.filter((o) => o.kind === "Application").map((app) => ({ unit, app }));
  });
}

function pruneLastWaits({ world }: Context): Finding[] {
  return applications(world.units)
    .filter(({ app }) => (app.spec?.syncPolicy?.syncOptions ?? []).includes("PruneLast=true"))
    .map(({ unit, app }) => ({
      file: unit.file,
      object: objectId(app),
      rule: "wave-gate",
      message: `${objectId(app).replace(/^Application\//, "Application ")} (${unit.label}) syncs with PruneLast=true: a sync that deletes anything waits for every resource of its last wave to be Healthy before it prunes, so one that never is (a GPU plugin on a node without its driver, a pod that cannot be placed) holds the operation, and every later commit, for ever`,
      fix: "drop PruneLast=true from its syncOptions (charts/argocd/application.ts, root-application.ts): each prune then runs in the wave of what it deletes",
    }));
}
