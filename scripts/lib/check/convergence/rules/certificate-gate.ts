// Rule "certificate-gate": a certificate from an ACME issuer depends on the world outside (a DNS
// provider's API, Let's Encrypt's rate limits: 5 certificates per set of names a week, then
// cert-manager's 1–32 h back-off), so its failure may cost HTTPS, never the rest of the lab:
// - it is left out of its Application's health (argocd.argoproj.io/ignore-healthcheck;
//   argo-cd@v3.4.4: controller/health.go#L40-L43), or a Degraded Certificate (not Ready, not
//   issuing: resource_customizations/cert-manager.io/Certificate/health.lua#L14-L19) makes the
//   Application Degraded and the root Application stops before its later waves;
// - it is in its Application's last resource wave: the sync waits for the health of every
//   earlier wave (gitops-engine/pkg/sync/sync_context.go#L538-L584) and fails on Degraded;
// - what reads its Secret (a Gateway's HTTPS listener) does not wait for the issuance: the
//   Certificate issues a temporary certificate into the Secret first
//   (cert-manager.io/issue-temporary-certificate; cert-manager@v1.21.1:
//   pkg/controller/certificates/issuing/issuing_controller.go#L396-L402), else the listener is
//   ResolvedRefs=False and the Gateway Degraded (Gateway/health.lua#L47-L63) until it succeeds.
import type { Finding } from "../../findings";
import { objectId, waveOf } from "../../../validate/kubernetes-objects";
import type { Context } from "../context";
import type { K8sObject } from "../model";

const ignoreHealth = "argocd.argoproj.io/ignore-healthcheck";
const temporary = "cert-manager.io/issue-temporary-certificate";

/** Issuers that order from an ACME server, by "Kind/namespace/name". */
function acmeIssuers(objects: readonly K8sObject[]): Set<string> {
  return new Set(
    objects
      .filter((o) => (o.kind === "ClusterIssuer" || o.kind === "Issuer") && o.spec?.acme)
      .map((o) => `${o.kind}/${o.kind === "Issuer" ? o.metadata.namespace : ""}/${o.metadata.name}`),
  );
}

/** Whether a Gateway listener of these objects reads this Secret. */
const readByGateway = (objects: readonly K8sObject[], namespace: string, secret: string) =>
  objects.some(
    (o) =>
      o.kind === "Gateway" &&
      (o.spec?.listeners ?? []).some((l: any) =>
        (l.tls?.certificateRefs ?? []).some((r: any) => r.name === secret && (r.namespace ?? o.metadata.namespace) === namespace),
      ),
  );

export function checkCertificateGate({ world }: Context): Finding[] {
  const all = world.units.flatMap((u) => u.objects);
  const acme = acmeIssuers(all);
  const findings: Finding[] = [];
  for (const unit of world.units.filter((u) => u.kind === "application")) {
    const lastWave = Math.max(...unit.objects.map((o) => waveOf(o)));
    for (const cert of unit.objects.filter((o) => o.kind === "Certificate")) {
      const ref = cert.spec?.issuerRef ?? {};
      const kind = ref.kind ?? "Issuer";
      if (!acme.has(`${kind}/${kind === "Issuer" ? cert.metadata.namespace : ""}/${ref.name}`)) continue;
      const id = objectId(cert);
      const annotations = cert.metadata.annotations ?? {};
      const problem = (message: string, fix: string) =>
        findings.push({ file: unit.file, object: id, rule: "certificate-gate", message: `${id} (${unit.label}, ACME ${kind} ${ref.name}) ${message}`, fix });
      if (annotations[ignoreHealth] !== "true")
        problem(
          "counts in its Application's health: a refused or rate-limited order makes it Degraded, and the root Application stops before every later wave",
          `annotate it ${ignoreHealth}: "true" (charts/platform/gateway.ts)`,
        );
      if (waveOf(cert) < lastWave)
        problem(
          `is in resource wave ${waveOf(cert)}, before its Application's last (${lastWave}): the sync waits for it and fails when it is Degraded, so nothing after it is applied`,
          "put it in the wave of what uses its Secret, its Application's last (no sync-wave annotation)",
        );
      if (readByGateway(all, cert.metadata.namespace!, cert.spec?.secretName) && annotations[temporary] !== "true")
        problem(
          `writes Secret ${cert.spec?.secretName}, which a Gateway listener reads: until the order succeeds the listener is ResolvedRefs=False and the Gateway Degraded, holding back everything after it`,
          `annotate it ${temporary}: "true", so cert-manager puts a temporary certificate into the Secret at once`,
        );
    }
  }
  return findings;
}
