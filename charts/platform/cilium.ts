// Cilium: eBPF CNI replacing kube-proxy, LB IPAM with L2 announcements for the lab's pool,
// and the Gateway API controller. The same values drive the k3s bootstrap HelmChart, so
// Argo CD takes over the running release without changing it.
import {
  CiliumL2AnnouncementPolicy,
  CiliumL2AnnouncementPolicySpecNodeSelectorMatchExpressionsOperator as Operator,
  CiliumL2AnnouncementPolicySpecServiceSelectorMatchExpressionsOperator as ServiceOperator,
} from "../../imports/cilium-l2-announcement-cilium.io";
import { CiliumLoadBalancerIpPool } from "../../imports/cilium-lb-ipam-cilium.io";
import { l2AnnouncementLabel, nodeLabels, taints } from "../../cluster/contract";
import type { NodeLabelSelector } from "../apps/app-placement";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { k3sHelmChartHandover } from "./k3s-handover";
import {
  helmList,
  helmMerge,
  linuxNodes,
  noFacts,
  roleAndBinding,
  tolerateAll,
  type CrdFact,
  type Toleration,
  type UpstreamFacts,
  type Values,
  type WorkloadFact,
} from "./upstream-facts";

export interface CiliumProps {
  /** Where Cilium reaches the Kubernetes API without kube-proxy: never the VIP, which kube-vip can only hold once Cilium serves the in-cluster Service address. */
  readonly apiServer: { readonly host: string; readonly port: number };
  /** The range LB IPAM hands out to LoadBalancer Services. */
  readonly loadBalancerPool: { readonly start: string; readonly stop: string };
  /**
   * LoadBalancer Services with externalTrafficPolicy Local, each announced by a policy of its own
   * from the nodes its pods may run on (by the Service's l2AnnouncementLabel). @default none
   */
  readonly dedicatedAnnouncements?: readonly DedicatedAnnouncement[];
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

/** An L2 announcement policy for one Service: its name (the Service's label value) and the nodes it may answer from. */
export interface DedicatedAnnouncement {
  readonly name: string;
  readonly nodes: NodeLabelSelector;
}

function ciliumValues(props: CiliumProps): Record<string, unknown> {
  return {
    kubeProxyReplacement: true,
    // No kube-proxy, so Cilium reaches the API server directly.
    k8sServiceHost: props.apiServer.host,
    k8sServicePort: props.apiServer.port,
    // Pod CIDRs come from k3s (--cluster-cidr); Cilium's default pool 10.0.0.0/8 would shadow the LAN.
    ipam: { mode: "kubernetes" },
    routingMode: "tunnel",
    tunnelProtocol: "vxlan",
    bpf: { masquerade: true },
    l2announcements: { enabled: true },
    externalIPs: { enabled: true },
    // L2 announcements renew one lease per Service; the default client rate limit is too low.
    k8sClientRateLimit: { qps: 50, burst: 100 },
    // "true", not the chart's "auto": auto creates the class only if the renderer sees the CRD,
    // and k3s's Helm and Argo CD's render against different views of the cluster.
    gatewayAPI: { enabled: true, gatewayClass: { create: "true" } },
    // The chart's own tolerations (a list replaces them) plus our control planes' taint: the
    // operator registers the CRDs every agent waits for, so it must run before any worker joins.
    operator: { replicas: 2, tolerations: [...operatorTolerations, { key: taints.controlPlane.key, operator: "Exists" }] },
    rollOutCiliumPods: true,
    // cronJob, not helm: helm-generated certificates change on every render and would keep
    // the Argo CD application out of sync forever.
    hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: true }, tls: { auto: { method: "cronJob" } } },
  };
}

export function cilium(props: CiliumProps): PlatformComponent {
  const { loadBalancerPool } = props;
  const releaseName = "cilium";
  return {
    name: "cilium",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: ["gateway-api"], // the operator enables its Gateway controller only if the CRDs exist at start
    helm: { chart: chartVersion(helmCharts.cilium, props.version), releaseName, values: ciliumValues(props) },
    facts: ciliumFacts,
    summary: `CNI (eBPF, no kube-proxy), LB IPAM ${loadBalancerPool.start}-${loadBalancerPool.stop} with L2 announcements, Gateway API`,
    manifests: (chart) => {
      k3sHelmChartHandover(chart, releaseName);
      new CiliumLoadBalancerIpPool(chart, "pool", {
        metadata: { name: "lab-pool" },
        spec: { blocks: [{ start: loadBalancerPool.start, stop: loadBalancerPool.stop }] },
      });
      new CiliumL2AnnouncementPolicy(chart, "l2", {
        metadata: { name: "lab-l2" },
        spec: {
          loadBalancerIPs: true,
          externalIPs: true,
          // Every Service but those announced by a policy of their own.
          serviceSelector: { matchExpressions: [{ key: l2AnnouncementLabel, operator: ServiceOperator.DOES_NOT_EXIST }] },
          // Announce from workers only; control planes keep the API VIP (kube-vip) to themselves.
          nodeSelector: { matchExpressions: [{ key: nodeLabels.controlPlane, operator: Operator.DOES_NOT_EXIST }] },
        },
      });
      // L2 announcements are incompatible with externalTrafficPolicy Local: the lease may land on a
      // node without the Service's pod, which then drops the traffic (cilium/cilium
      // Documentation/network/l2-announcements.rst, "Limitations"; cilium/cilium#27800). Such a
      // Service is announced only from the nodes its pods may run on.
      for (const { name, nodes } of props.dedicatedAnnouncements ?? []) {
        new CiliumL2AnnouncementPolicy(chart, `l2-${name}`, {
          metadata: { name },
          spec: {
            loadBalancerIPs: true,
            serviceSelector: { matchLabels: { [l2AnnouncementLabel]: name } },
            nodeSelector: {
              ...(nodes.matchLabels ? { matchLabels: { ...nodes.matchLabels } } : {}),
              ...(nodes.matchExpressions
                ? {
                    matchExpressions: nodes.matchExpressions.map((e) => ({
                      key: e.key,
                      operator: e.operator as Operator,
                      ...(e.values ? { values: [...e.values] } : {}),
                    })),
                  }
                : {}),
            },
          },
        });
      }
    },
  };
}

// Chart facts, read from cilium 1.18.2: the published cilium/charts@009b5e9:cilium-1.18.2.tgz;
// the paths below are inside that chart. Runtime CRD versions come from the CRD files of the
// reference pack: cilium/cilium was too large to read at v1.18.2 (not pinned).
/** values.yaml#L2901-L2909, plus the agent-not-ready key the template always adds (templates/cilium-operator/deployment.yaml#L307-L314, values.yaml#L3777). */
const operatorTolerations: readonly Toleration[] = [
  "node-role.kubernetes.io/control-plane",
  "node-role.kubernetes.io/master",
  "node.kubernetes.io/not-ready",
  "node.cloudprovider.kubernetes.io/uninitialized",
].map((key) => ({ key, operator: "Exists" }));
const gatewayGroup = "gateway.networking.k8s.io";
/** The Gateway API CRDs the operator's Gateway controller needs when it starts. */
const gatewayControllerCrds: CrdFact[] = [
  { group: gatewayGroup, kind: "GatewayClass", versions: ["v1"] },
  { group: gatewayGroup, kind: "Gateway", versions: ["v1"] },
  { group: gatewayGroup, kind: "HTTPRoute", versions: ["v1"] },
  { group: gatewayGroup, kind: "GRPCRoute", versions: ["v1"] },
  { group: gatewayGroup, kind: "ReferenceGrant", versions: ["v1beta1"] },
  { group: gatewayGroup, kind: "TLSRoute", versions: ["v1alpha2"] },
];

export const ciliumFacts: UpstreamFacts = {
  upstream: "cilium",
  confirmedAt: "1.18.2",
  of: (values: Values, { namespace }) => {
    const gateway = values.gatewayAPI?.enabled === true;
    // templates/cilium-secrets-namespace.yaml: one Namespace per secretsNamespace of an enabled
    // feature, plus tls.secretsNamespace (values.yaml#L2741-L2745, create: true, cilium-secrets).
    const secretsNamespace = values.gatewayAPI?.secretsNamespace?.name ?? "cilium-secrets";
    const tlsNamespace = values.tls?.secretsNamespace?.create === false ? [] : [values.tls?.secretsNamespace?.name ?? "cilium-secrets"];
    const namespaces = [...new Set([...(gateway ? [secretsNamespace] : []), ...tlsNamespace])];
    // templates/cilium-gateway-api-class.yaml: "auto" renders the class only if the renderer
    // sees the CRD (helm-controller and Argo CD see different clusters), "true" always.
    const gatewayClass = gateway && String(values.gatewayAPI?.gatewayClass?.create ?? "auto") === "true";
    const host = values.k8sServiceHost ?? "";
    return {
      ...noFacts,
      namespaces,
      objects: [
        // templates/cilium-agent/role.yaml#L55-L61, rolebinding.yaml#L55-L61; cilium-operator/role.yaml#L31-L37 (+ rolebinding).
        ...(gateway
          ? [...roleAndBinding("cilium-gateway-secrets", secretsNamespace), ...roleAndBinding("cilium-operator-gateway-secrets", secretsNamespace)]
          : []),
        ...(gatewayClass ? [{ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", name: "cilium" }] : []),
      ],
      // The operator registers its CRDs (operator.skipCRDCreation: false, values.yaml#L3039;
      // templates/cilium-operator/clusterrole.yaml#L216-L248 names them).
      runtimeCrds: [
        { group: "cilium.io", kind: "CiliumLoadBalancerIPPool", versions: ["v2", "v2alpha1"] },
        { group: "cilium.io", kind: "CiliumL2AnnouncementPolicy", versions: ["v2alpha1"] },
        { group: "cilium.io", kind: "CiliumNetworkPolicy", versions: ["v2"] },
      ],
      workloads: ciliumWorkloads(values, namespace),
      // templates/_helpers.tpl#L131-L163: k8sServiceHost/Port become the pods' KUBERNETES_SERVICE_*;
      // empty keeps the in-cluster Service, "auto" needs Helm lookup (renders literally under Argo CD).
      ...(host ? { apiEndpoint: { host: String(host), port: Number(values.k8sServicePort || 443) } } : {}),
      servesClusterIps: values.kubeProxyReplacement === true || values.kubeProxyReplacement === "true",
      // Not pinned (cilium/cilium too large to fetch): operator/pkg/gateway-api/cell.go checks these
      // CRDs once at start-up and leaves the Gateway controller off if one is missing.
      startRequires: gateway
        ? [{ controller: "cilium-operator Gateway API controller", crds: gatewayControllerCrds, effect: "no Gateway is programmed, no route gets a status" }]
        : [],
      gatewayControllers: gateway ? [{ gatewayClass: "cilium", controller: "cilium-operator Gateway API controller" }] : [],
    };
  },
};

/** The chart's pod templates: agent and Envoy DaemonSets, the operator, and Hubble's relay and UI when enabled. */
function ciliumWorkloads(values: Values, namespace: string): WorkloadFact[] {
  return [
    // values.yaml#L249-L254: the agent tolerates every taint.
    {
      kind: "DaemonSet",
      name: "cilium",
      namespace,
      critical: true,
      nodeSelector: helmMerge(linuxNodes, values.nodeSelector),
      tolerations: helmList(tolerateAll, values.tolerations),
    },
    // values.yaml#L2614-L2620 (envoy.enabled: ~ is true for new installations, values.yaml#L2384-L2391).
    ...(values.envoy?.enabled === false
      ? []
      : [
          {
            kind: "DaemonSet" as const,
            name: "cilium-envoy",
            namespace,
            nodeSelector: helmMerge(linuxNodes, values.envoy?.nodeSelector),
            tolerations: helmList(tolerateAll, values.envoy?.tolerations),
          },
        ]),
    // values.yaml#L2859 (2 replicas), #L2878-L2884 (one per host), #L2893 (linux).
    {
      kind: "Deployment",
      name: "cilium-operator",
      namespace,
      replicas: values.operator?.replicas ?? 2,
      onePerNode: true,
      critical: true,
      nodeSelector: helmMerge(linuxNodes, values.operator?.nodeSelector),
      tolerations: [...helmList(operatorTolerations, values.operator?.tolerations), { key: "node.cilium.io/agent-not-ready", operator: "Exists" }],
    },
    // values.yaml#L1535-L1539 (relay), #L1870-L1874 (ui): no tolerations.
    ...(values.hubble?.relay?.enabled ? [{ kind: "Deployment" as const, name: "hubble-relay", namespace, nodeSelector: linuxNodes, tolerations: [] }] : []),
    ...(values.hubble?.ui?.enabled ? [{ kind: "Deployment" as const, name: "hubble-ui", namespace, nodeSelector: linuxNodes, tolerations: [] }] : []),
  ];
}
