// Rule "sync-order", decryption part: a SealedSecret becomes its Secret only once the controller
// that decrypts it runs. Until then Argo CD reports it Progressing (argoproj/argo-cd
// resource_customizations/bitnami.com/SealedSecret/health.lua: no Synced condition yet): counted
// in its Application's health, that Application never turns Healthy and no later wave syncs —
// the controller's own included, if it comes later; left out of it (sealed-secret-gate), what
// reads the Secret starts without it. The controller must come from an earlier wave or the same
// one (it starts beside the SealedSecret and decrypts it then). When the CRD itself comes too
// late, the CRD part of "sync-order" says so, and this rule adds nothing.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import { groupOf, versionOf } from "../context";
import type { Unit } from "../model";

const upstreamControllers: Readonly<Record<string, string>> = { SealedSecret: "sealed-secrets" };

export function checkSecretControllers({ world, provided }: Context): Finding[] {
  const findings: Finding[] = [];
  for (const unit of world.units) {
    unit.objects.forEach((o) => {
      if (!(o.kind in upstreamControllers) && !provided.secretSourceKinds.has(`${groupOf(o.apiVersion)}/${o.kind}`)) return;
      const crdInTime = provided.crdProvisions(groupOf(o.apiVersion), o.kind, versionOf(o.apiVersion)).some((p) => inTime(p.unit, unit));
      if (!crdInTime) return;
      const controller = provided.secretController(o.apiVersion, o.kind);
      const problem = !controller
        ? `no ${upstreamControllers[o.kind] ?? "controller"} in this output decrypts it`
        : !inTime(controller, unit)
          ? `${controller.label} runs the controller that decrypts it only later`
          : undefined;
      const ignored = o.metadata.annotations?.["argocd.argoproj.io/ignore-healthcheck"] === "true";
      if (problem)
        findings.push({
          file: unit.file,
          object: objectId(o),
          rule: "sync-order",
          message: ignored
            ? `${objectId(o)} (${unit.label}) becomes its Secret only once it is decrypted, and ${problem}: what reads the Secret starts without it`
            : `${objectId(o)} (${unit.label}) stays Progressing until it is decrypted, and ${problem}: the sync waits for it forever`,
          fix: "enable the sealed-secrets component and make this one depend on it (PlatformComponent.sealedSecrets does)",
        });
    });
  }
  return findings;
}

const inTime = (controller: Unit, consumer: Unit) => controller.stage <= consumer.stage;
