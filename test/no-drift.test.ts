// Item 8 of issue 17: nothing we render keeps an Application OutOfSync. Argo CD renders charts
// with `helm template`: no `lookup`, so anything a chart generates at random changes on every
// render (argo-cd@v3.4.4:docs/user-guide/helm.md#L546-L566). The VictoriaMetrics operator's
// webhook certificate and Grafana's admin password are the two such values of our charts.
import { readFileSync } from "node:fs";
import { parseCluster } from "../cluster/load";
import { renderApplications } from "../charts/k8s-app";
import { overlayReference, referenceSpec } from "./helpers/spec-fixture";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const applications = (cluster = reference) => [...renderApplications(cluster).values()].flat().filter((o: any) => o.kind === "Application");
const app = (name: string, cluster = reference) => applications(cluster).find((a: any) => a.metadata.name === name) as any;
const wave = (a: any) => Number(a.metadata.annotations["argocd.argoproj.io/sync-wave"]);
const values = (a: any) => a.spec.sources.find((s: any) => s.chart).helm.valuesObject;

describe("victoria-metrics-k8s-stack stays in sync", () => {
  it("has cert-manager issue the operator's webhook certificate, after cert-manager is up", () => {
    const vm = app("victoria-metrics");
    expect(values(vm)["victoria-metrics-operator"]).toEqual({ admissionWebhooks: { certManager: { enabled: true } } });
    expect(wave(vm)).toBeGreaterThan(wave(app("cert-manager")));
    expect(vm.spec.ignoreDifferences).toBeUndefined();
  });

  it("without cert-manager, tells Argo CD to ignore the generated certificate, as the chart's README says", () => {
    const cluster = parseCluster(overlayReference({ "platform.certManager.enabled": false, "platform.externalDns.enabled": false }), "no-cert-manager.yaml");
    const vm = app("victoria-metrics", cluster);
    expect(values(vm)["victoria-metrics-operator"]).toBeUndefined();
    // VictoriaMetrics/helm-charts@victoria-metrics-k8s-stack-0.27.6:charts/victoria-metrics-k8s-stack/README.md#L61-L93,
    // with the release's own names: the Secret lives in the release namespace.
    expect(vm.spec.ignoreDifferences).toEqual([
      { group: "", kind: "Secret", name: "vmks-victoria-metrics-operator-validation", namespace: "monitoring", jsonPointers: ["/data"] },
      {
        group: "admissionregistration.k8s.io",
        kind: "ValidatingWebhookConfiguration",
        name: "vmks-victoria-metrics-operator-admission",
        jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"],
      },
    ]);
    expect(vm.spec.syncPolicy.syncOptions).toContain("RespectIgnoreDifferences=true");
  });

  it("takes Grafana's admin password from a sealed Secret, not from the chart's random one", () => {
    expect(values(app("victoria-metrics")).grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    const sealed = renderApplications(reference)
      .get("victoria-metrics")!
      .find((o: any) => o.kind === "SealedSecret");
    // Nothing sealed in the reference lab (no certificate before its first apply): the user is plain, the password a placeholder.
    expect(sealed).toMatchObject({
      metadata: { name: "grafana-admin", namespace: "monitoring" },
      spec: { encryptedData: {}, template: { data: { "admin-user": "admin" }, metadata: { name: "grafana-admin", namespace: "monitoring" } } },
    });
  });
});
