// Rule "wave-gate": the root Application starts a wave only when every Application of the wave
// before is Healthy, and waits as long as one is not (the health check of charts/platform/
// argocd.ts; gitops-engine/pkg/sync/sync_context.go#L538-L584 at argo-cd v3.4.4). Only its last
// wave is applied without waiting (#L688-L697). An Application in an earlier wave that nothing
// after it needs therefore holds back every later wave for nothing: a DaemonSet that cannot
// start on one node (a GPU worker without its driver, a node down) keeps it Progressing, and
// the Gateway, the observability stack and the apps are never synced — nor any later change to
// them. Such an Application belongs in the last wave.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { applicationNeeds } from "../needs";

export function checkWaveGate(context: Context): Finding[] {
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
      message: `${unit.label} gates every later wave, yet nothing after it needs it: while it is not Healthy (one node its pods cannot start on is enough) the root Application never syncs ${held.slice(0, 4).join(", ")}${held.length > 4 ? ` and ${held.length - 4} more` : ""}`,
      fix: "let nothing but what it needs decide its wave: a component no other depends on belongs in the last wave (charts/argocd/waves.ts places it there from dependsOn)",
    });
  }
  return findings;
}
