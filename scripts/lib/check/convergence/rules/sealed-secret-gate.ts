// Rule "sealed-secret-gate": a SealedSecret's failure may cost its own Secret, never the rest of
// the lab. One that cannot be decrypted (a key not delivered, a value sealed for another key, a
// Secret not handed over) is Degraded (argo-cd@v3.4.4:
// resource_customizations/bitnami.com/SealedSecret/health.lua#L5-L8), and the controller retries
// it only when its spec changes or the controller restarts (sealed-secrets@v0.36.6:
// pkg/controller/controller.go#L166, #L314-L321). Counted in the health of an Application that a
// later wave waits for, it makes the root Application's sync fail at that wave on every retry
// (gitops-engine/pkg/sync/sync_context.go#L543-L553), so no later Application changes. Before the
// last wave it must be left out of its Application's health (controller/health.go#L40-L43).
import type { Finding } from "../../findings";
import { objectId } from "../../../validate/kubernetes-objects";
import type { Context } from "../context";

const ignoreHealth = "argocd.argoproj.io/ignore-healthcheck";

export function checkSealedSecretGate({ world }: Context): Finding[] {
  // The Applications the root Application syncs; the root itself (it applies the others) aside.
  const children = world.units.filter((u) => u.kind === "application" && !u.objects.some((o) => o.kind === "Application"));
  if (!children.length) return [];
  const last = Math.max(...children.map((u) => u.stage));
  const findings: Finding[] = [];
  for (const unit of children.filter((u) => u.stage < last))
    for (const sealed of unit.objects.filter((o) => o.kind === "SealedSecret" && o.metadata.annotations?.[ignoreHealth] !== "true")) {
      const id = objectId(sealed);
      findings.push({
        file: unit.file,
        object: id,
        rule: "sealed-secret-gate",
        message: `${id} (${unit.label}) counts in its Application's health: one that cannot be decrypted (a key not delivered, a value sealed for another key) is Degraded until the controller restarts, and the root Application stops before every later wave`,
        fix: `annotate it ${ignoreHealth}: "true" (charts/sealed/sealed-secret.ts does for every Application before the last wave)`,
      });
    }
  return findings;
}
