// Cilium: eBPF CNI replacing kube-proxy, LB IPAM with L2 announcements for the lab's pool,
// and the Gateway API controller. The same values drive the k3s bootstrap HelmChart, so
// Argo CD takes over the running release without changing it.
import { CiliumL2AnnouncementPolicy, CiliumL2AnnouncementPolicySpecNodeSelectorMatchExpressionsOperator as Operator } from "../../imports/cilium-l2-announcement-cilium.io";
import { CiliumLoadBalancerIpPool } from "../../imports/cilium-lb-ipam-cilium.io";
import { nodeLabels } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";

export interface CiliumProps {
  /** Where Cilium reaches the Kubernetes API without kube-proxy. */
  readonly apiServer: { readonly host: string; readonly port: number };
  /** The range LB IPAM hands out to LoadBalancer Services. */
  readonly loadBalancerPool: { readonly start: string; readonly stop: string };
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function ciliumValues(props: CiliumProps): Record<string, unknown> {
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
    gatewayAPI: { enabled: true },
    operator: { replicas: 2 },
    rollOutCiliumPods: true,
    // cronJob, not helm: helm-generated certificates change on every render and would keep
    // the Argo CD application out of sync forever.
    hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: true }, tls: { auto: { method: "cronJob" } } },
  };
}

export function cilium(props: CiliumProps): PlatformComponent {
  const { loadBalancerPool } = props;
  return {
    name: "cilium",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: ["gateway-api"], // the operator enables its Gateway controller only if the CRDs exist at start
    helm: { chart: chartVersion(helmCharts.cilium, props.version), releaseName: "cilium", values: ciliumValues(props) },
    summary: `CNI (eBPF, no kube-proxy), LB IPAM ${loadBalancerPool.start}-${loadBalancerPool.stop} with L2 announcements, Gateway API`,
    manifests: (chart) => {
      new CiliumLoadBalancerIpPool(chart, "pool", {
        metadata: { name: "lab-pool" },
        spec: { blocks: [{ start: loadBalancerPool.start, stop: loadBalancerPool.stop }] },
      });
      new CiliumL2AnnouncementPolicy(chart, "l2", {
        metadata: { name: "lab-l2" },
        spec: {
          loadBalancerIPs: true,
          externalIPs: true,
          // Announce from workers only; control planes keep the API VIP (kube-vip) to themselves.
          nodeSelector: { matchExpressions: [{ key: nodeLabels.controlPlane, operator: Operator.DOES_NOT_EXIST }] },
        },
      });
    },
  };
}
