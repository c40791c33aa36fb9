// Manifests the first control plane puts in /var/lib/rancher/k3s/server/manifests/, which
// k3s applies by itself in sorted order: kube-vip for the API VIP, Cilium (the CNI; bootstrap
// mode, so it installs before any pod network exists) and Argo CD as k3s HelmCharts with the
// very values of their Argo CD Applications, the root Application, and the Secret files
// (secret-manifests.ts). From then on Argo CD manages everything, including Cilium and itself:
// same release names, namespaces, charts and values, so taking over changes nothing, and the
// hand-over (handover.ts) makes k3s skip the copies Argo CD owns. docs/boot-order.md tells the
// whole order. Never edit these on day 2 — change the spec and let Argo CD roll it out.
import { App, Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { yamlDocuments, yamlText } from "../../lib/yaml-text";
import { Application } from "../../imports/argocd-application-argoproj.io";
import { HelmChart } from "../../imports/k3s-helmchart-helm.cattle.io";
import type { Cluster } from "../../cluster/schema";
import { rootApplicationName, rootApplicationSpec } from "../../charts/argocd/root-application";
import type { PlatformComponent } from "../../charts/platform/component";
import { platformComponent } from "../../charts/platform";
import { images } from "../../charts/platform/versions";
import { secretManifests } from "./secret-manifests";
import { namespaces, nodeLabels } from "../../cluster/contract";
import { kubeObject } from "../../lib/kube-object";

/** File name → content, for /var/lib/rancher/k3s/server/manifests/. */
export type ManifestFiles = ReadonlyMap<string, string>;

export function autoDeployManifests(cluster: Cluster): ManifestFiles {
  const files = new Map<string, string>();
  for (const [name, chart] of autoDeployCharts(cluster)) files.set(`${name}.yaml`, manifestText(chart));
  return files;
}

/**
 * One Secret file's text, exactly as the first server's user-data writes it (placeholders
 * included): what Terraform hands a running cluster again when a bootstrap secret rotates.
 */
export function secretManifestText(cluster: Cluster, name: string): string | undefined {
  const file = secretManifests(cluster).find(([n]) => n === name);
  return file && manifestText(chartOf(...file));
}

const manifestText = (chart: Chart) => yamlDocuments(chart.toJson());

/** A file's chart, in an App of its own. */
function chartOf(name: string, build: (chart: Chart) => void): Chart {
  const chart = new Chart(new App(), name, { disableResourceNameHashes: true });
  build(chart);
  return chart;
}

/** The charts of those files, by file name without its extension. */
export function autoDeployCharts(cluster: Cluster): ReadonlyMap<string, Chart> {
  const charts = new Map<string, Chart>();
  const add = (name: string, build: (chart: Chart) => void) => charts.set(name, chartOf(name, build));
  add("kube-vip", (chart) => kubeVip(chart, cluster));
  // Cilium installs before any pod network exists (bootstrap mode); Argo CD needs its namespace.
  add("cilium", (chart) => bootstrapHelmChart(chart, platformComponent(cluster, "cilium")!, { bootstrap: true }));
  add("argocd", (chart) => bootstrapHelmChart(chart, platformComponent(cluster, "argocd")!, { createNamespace: true }));
  add("root-application", (chart) => {
    new Application(chart, "root", { metadata: { name: rootApplicationName, namespace: namespaces.argocd }, spec: rootApplicationSpec(cluster) });
  });
  for (const [name, build] of secretManifests(cluster)) add(name, build);
  return charts;
}

/**
 * A k3s HelmChart made from a platform component's own Helm definition — the very chart,
 * version, release name, namespace and values its Argo CD Application uses.
 */
function bootstrapHelmChart(chart: Chart, component: PlatformComponent, options: { bootstrap?: boolean; createNamespace?: boolean }): void {
  const helm = component.helm!;
  new HelmChart(chart, helm.releaseName, {
    metadata: { name: helm.releaseName, namespace: "kube-system" },
    spec: {
      repo: helm.chart.repoURL,
      chart: helm.chart.chart,
      version: helm.chart.version,
      targetNamespace: component.namespace,
      ...options,
      valuesContent: yamlText(helm.values),
    },
  });
}

/** kube-vip in ARP mode on the control planes: the floating API address every node joins through. */
function kubeVip(chart: Chart, cluster: Cluster): void {
  const name = "kube-vip";
  const namespace = "kube-system";
  kubeObject(k8s.KubeServiceAccount, chart, "sa", { metadata: { name, namespace } });
  kubeObject(k8s.KubeClusterRole, chart, "role", {
    metadata: { name },
    rules: [
      { apiGroups: [""], resources: ["services", "services/status", "nodes", "endpoints"], verbs: ["list", "get", "watch", "update"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["list", "get", "watch", "update", "create"] },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "get", "watch", "update"] },
    ],
  });
  kubeObject(k8s.KubeClusterRoleBinding, chart, "binding", {
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
    subjects: [{ kind: "ServiceAccount", name, namespace }],
  });
  const env = kubeVipEnv(cluster, namespace);
  kubeObject(k8s.KubeDaemonSet, chart, "daemonset", {
    metadata: { name, namespace, labels: { "app.kubernetes.io/name": name } },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: {
          serviceAccountName: name,
          hostNetwork: true, // runs before the CNI exists
          nodeSelector: { [nodeLabels.controlPlane]: "true" },
          tolerations: [{ operator: "Exists" }],
          containers: [
            {
              name,
              image: images.kubeVip,
              args: ["manager"],
              env: Object.entries(env).map(([key, value]) => ({ name: key, value })),
              securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString("20m"), memory: k8s.Quantity.fromString("32Mi") },
                limits: { memory: k8s.Quantity.fromString("128Mi") },
              },
            },
          ],
        },
      },
    },
  });
}

/** kube-vip's settings: ARP, control-plane VIP with leader election, the API reached locally. */
function kubeVipEnv(cluster: Cluster, namespace: string): Record<string, string> {
  return {
    vip_arp: "true",
    port: "6443",
    address: cluster.network.apiVip,
    cp_enable: "true",
    cp_namespace: namespace,
    vip_leaderelection: "true",
    vip_leasename: "plndr-cp-lock",
    vip_leaseduration: "5",
    vip_renewdeadline: "3",
    vip_retryperiod: "1",
    // LoadBalancer Services are Cilium's job (LB IPAM + L2 announcements).
    svc_enable: "false",
    prometheus_server: ":2112",
    // k3s's local supervisor on this control plane instead of the in-cluster Service address,
    // which only Cilium serves (no kube-proxy): the VIP must not wait for the CNI. Declared env
    // wins over the kubelet's service variables (kube-vip/kube-vip@v0.8.9:pkg/manager/manager.go#L84-L137
    // falls back to rest.InClusterConfig(), which reads these two).
    KUBERNETES_SERVICE_HOST: "127.0.0.1",
    KUBERNETES_SERVICE_PORT: "6443",
  };
}
