// Metrics and logs: the VictoriaMetrics k8s stack (vmsingle, vmagent, node-exporter,
// kube-state-metrics, Grafana) and VictoriaLogs with its Vector log collector, on Longhorn.
import { secretNames, storageClassName } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { helmList, helmMerge, linuxNodes, noFacts, type UpstreamFacts, type Values } from "./upstream-facts";

export interface VictoriaMetricsProps extends RetentionProps {
  /** cert-manager issues the operator's webhook certificate (needs the cert-manager component). @default false: the chart generates one on every render, which Argo CD is told to ignore */
  readonly certManager?: boolean;
}

export interface RetentionProps {
  /** How long data is kept, e.g. 30d. */
  readonly retention: string;
  /** Size of its Longhorn volume. */
  readonly storageGiB: number;
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

/** The operator's generated webhook certificate, per the chart's README (README.md#L61-L93); fullname vmks-victoria-metrics-operator. */
const generatedWebhookCertificate = [
  { group: "", kind: "Secret", name: "vmks-victoria-metrics-operator-validation", namespace: "monitoring", jsonPointers: ["/data"] },
  {
    group: "admissionregistration.k8s.io",
    kind: "ValidatingWebhookConfiguration",
    name: "vmks-victoria-metrics-operator-admission",
    jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"],
  },
];

export function victoriaMetrics(props: VictoriaMetricsProps): PlatformComponent {
  const settings = props;
  const grafanaAdmin = secretNames.grafanaAdmin;
  return {
    name: "victoria-metrics",
    namespace: "monitoring",
    podSecurity: "privileged", // node-exporter reads the host
    dependsOn: ["longhorn", ...(props.certManager ? ["cert-manager"] : [])],
    // Without cert-manager the chart signs a new webhook certificate on every render: Argo CD
    // has no Helm lookup (victoria-metrics-operator-0.35.4:templates/_helpers.tpl#L100-L126).
    ...(props.certManager ? {} : { ignoreDifferences: generatedWebhookCertificate }),
    helm: {
      chart: chartVersion(helmCharts.victoriaMetrics, settings.version),
      releaseName: "vmks",
      values: {
        vmsingle: {
          spec: {
            retentionPeriod: settings.retention,
            storage: { storageClassName, resources: { requests: { storage: `${settings.storageGiB}Gi` } } },
          },
        },
        ...(props.certManager ? { "victoria-metrics-operator": { admissionWebhooks: { certManager: { enabled: true } } } } : {}),
        // A sealed Secret (below): the chart's own is a random password per render, which
        // keeps the Secret OutOfSync and rolls Grafana on every sync (grafana-8.5.5: _helpers.tpl#L111-L118).
        grafana: {
          enabled: true,
          admin: { existingSecret: grafanaAdmin.name, userKey: grafanaAdmin.userKey, passwordKey: grafanaAdmin.passwordKey },
          persistence: { enabled: true, storageClassName, size: "5Gi" },
        },
        // k3s runs these inside the server process; there is nothing separate to scrape.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        // Metrics from every node: the chart tolerates NoSchedule taints, not the control planes' NoExecute.
        "prometheus-node-exporter": { tolerations: [{ operator: "Exists" }] },
      },
    },
    facts: victoriaMetricsFacts,
    sealedSecrets: [
      {
        name: grafanaAdmin.name,
        values: [{ name: grafanaAdmin.sealedAs, key: grafanaAdmin.passwordKey }],
        plain: { [grafanaAdmin.userKey]: "admin" },
      },
    ],
    serverSideApply: true,
    summary: `vmsingle (${settings.retention}, ${settings.storageGiB} GiB on Longhorn), vmagent, node-exporter, kube-state-metrics, Grafana`,
  };
}

export function victoriaLogs(props: RetentionProps): PlatformComponent {
  const settings = props;
  return {
    name: "victoria-logs",
    namespace: "logging",
    podSecurity: "privileged", // the Vector DaemonSet reads /var/log on every node
    dependsOn: ["longhorn"],
    helm: {
      chart: chartVersion(helmCharts.victoriaLogs, settings.version),
      releaseName: "vls",
      values: {
        server: {
          retentionPeriod: settings.retention,
          persistentVolume: { enabled: true, storageClassName, size: `${settings.storageGiB}Gi` },
        },
        // Logs from every node, the tainted GPU, VPN and control-plane nodes included.
        vector: { enabled: true, tolerations: [{ operator: "Exists" }] },
      },
    },
    facts: victoriaLogsFacts,
    summary: `VictoriaLogs (${settings.retention}, ${settings.storageGiB} GiB on Longhorn) with Vector collecting every node's logs`,
  };
}

// Chart facts of victoria-metrics-k8s-stack 0.27.6 (VictoriaMetrics/helm-charts@victoria-metrics-k8s-stack-0.27.6:
// charts/victoria-metrics-k8s-stack/), with its subcharts from Chart.lock: victoria-metrics-operator 0.35.4,
// grafana 8.5.5, prometheus-node-exporter 4.39.0, kube-state-metrics 5.25.1. Release "vmks".
export const victoriaMetricsFacts: UpstreamFacts = {
  upstream: "victoria-metrics-k8s-stack",
  confirmedAt: "0.27.6",
  of: (values: Values, { namespace }) => {
    const operator = "vmks-victoria-metrics-operator"; // victoria-metrics-operator-0.35.4:templates/_helpers.tpl#L22-L34
    const certManager = values["victoria-metrics-operator"]?.admissionWebhooks?.certManager?.enabled === true;
    const cm = (kind: string, name: string) => ({ apiVersion: "cert-manager.io/v1", kind, name: `${operator}-${name}`, namespace });
    const grafana = values.grafana ?? {};
    const nodeExporter = values["prometheus-node-exporter"] ?? {};
    const operated = (kind: "Deployment" | "StatefulSet", name: string, storage?: string) => ({
      kind,
      name,
      namespace,
      tolerations: [],
      runtime: true,
      ...(storage ? { volumeStorageClass: storage } : {}),
    });
    return {
      ...noFacts,
      objects: [
        // templates/servicemonitors.yaml#L17-L60: the CoreDNS scrape Service goes to kube-system (coreDns.service.enabled, values.yaml#L1078-L1083).
        ...(values.coreDns?.service?.enabled === false || values.coreDns?.enabled === false
          ? []
          : [{ apiVersion: "v1", kind: "Service", name: "vmks-victoria-metrics-k8s-stack-core-dns", namespace: "kube-system" }]),
        // victoria-metrics-operator-0.35.4:templates/webhook.yaml#L48-L105: with certManager, Issuers and Certificates instead of a generated CA.
        ...(certManager ? [cm("Issuer", "root"), cm("Certificate", "root-ca"), cm("Issuer", "issuer"), cm("Certificate", "validation")] : []),
      ],
      crds: ["VMSingle", "VMAgent", "VMAlert", "VMAlertmanager", "VMServiceScrape", "VMRule"].map((kind) => ({
        group: "operator.victoriametrics.com",
        kind,
        versions: ["v1beta1"],
      })),
      workloads: [
        // victoria-metrics-operator values.yaml#L173: no tolerations.
        { kind: "Deployment", name: operator, namespace, tolerations: [] },
        // grafana-8.5.5 values.yaml#L446-L450: admin.existingSecret; the chart's persistence uses our StorageClass.
        {
          kind: "Deployment",
          name: "vmks-grafana",
          namespace,
          tolerations: grafana.tolerations ?? [],
          ...(grafana.persistence?.enabled ? { volumeStorageClass: grafana.persistence.storageClassName } : {}),
          ...(grafana.admin?.existingSecret ? { secrets: [grafana.admin.existingSecret] } : {}),
        },
        { kind: "Deployment", name: "vmks-kube-state-metrics", namespace, tolerations: values["kube-state-metrics"]?.tolerations ?? [] },
        // prometheus-node-exporter-4.39.0 values.yaml#L415-L424: tolerates NoSchedule taints, not NoExecute.
        {
          kind: "DaemonSet",
          name: "vmks-prometheus-node-exporter",
          namespace,
          nodeSelector: helmMerge(linuxNodes, nodeExporter.nodeSelector),
          tolerations: helmList([{ effect: "NoSchedule", operator: "Exists" }], nodeExporter.tolerations),
        },
        // The operator runs what the VMSingle, VMAgent and VMAlertmanager objects describe.
        operated("Deployment", "vmsingle-vmks", values.vmsingle?.spec?.storage?.storageClassName),
        operated("Deployment", "vmagent-vmks"),
        operated("StatefulSet", "vmalertmanager-vmks"),
      ],
    };
  },
};

// Chart facts of victoria-logs-single 0.11.5 (VictoriaMetrics/helm-charts@victoria-logs-single-0.11.5:
// charts/victoria-logs-single/) and its vector 0.40.0 subchart (vectordotdev/helm-charts@vector-0.40.0).
export const victoriaLogsFacts: UpstreamFacts = {
  upstream: "victoria-logs-single",
  confirmedAt: "0.11.5",
  of: (values: Values, { namespace }) => {
    const server = values.server ?? {};
    return {
      ...noFacts,
      workloads: [
        // values.yaml#L118-L126 (no tolerations), #L150-L152 (persistent volume).
        {
          kind: "StatefulSet",
          name: "vls-victoria-logs-single-server",
          namespace,
          nodeSelector: server.nodeSelector ?? {},
          tolerations: server.tolerations ?? [],
          ...(server.persistentVolume?.enabled ? { volumeStorageClass: server.persistentVolume.storageClassName } : {}),
        },
        // values.yaml#L367-L370: role Agent = a DaemonSet; vector-0.40.0 values.yaml#L233: no tolerations.
        ...(values.vector?.enabled
          ? [
              {
                kind: "DaemonSet" as const,
                name: "vls-vector",
                namespace,
                nodeSelector: values.vector.nodeSelector ?? {},
                tolerations: values.vector.tolerations ?? [],
              },
            ]
          : []),
      ],
    };
  },
};
