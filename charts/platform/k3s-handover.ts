// Argo CD's side of the hand-over from the bootstrap (infra/bootstrap/handover.ts): the k3s
// HelmChart that installed a component at first boot gets helmcharts.helm.cattle.io/unmanaged,
// so k3s's Helm controller no longer upgrades, reverts or uninstalls the release Argo CD now
// manages (k3s-io/helm-controller@v0.16.13:pkg/controllers/chart/chart.go#L40, #L403-L417; the
// procedure of helm-controller#127). Only that annotation is declared, applied server-side, so
// the chart's spec stays the bootstrap's and Argo CD owns no field of it.
import type { Chart } from "cdk8s";
import { HelmChart } from "../../imports/k3s-helmchart-helm.cattle.io";

const unmanagedAnnotation = "helmcharts.helm.cattle.io/unmanaged";

export function k3sHelmChartHandover(chart: Chart, releaseName: string): void {
  new HelmChart(chart, "k3s-helmchart", {
    metadata: {
      name: releaseName,
      namespace: "kube-system",
      annotations: { [unmanagedAnnotation]: "true", "argocd.argoproj.io/sync-options": "ServerSideApply=true" },
    },
  });
}
