// Cluster operations: metrics-server (resource metrics for HPA and `kubectl top`) and kured
// (coordinated reboots after unattended upgrades, inside the spec's window).
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { helmMerge, linuxNodes, noFacts, type UpstreamFacts, type Values } from "./upstream-facts";

export interface VersionProps {
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function metricsServer(props: VersionProps = {}): PlatformComponent {
  return {
    name: "metrics-server",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.metricsServer, props.version),
      releaseName: "metrics-server",
      // k3s kubelets serve self-signed certificates, so metrics-server cannot verify them.
      values: { args: ["--kubelet-insecure-tls", "--kubelet-preferred-address-types=InternalIP"] },
    },
    facts: metricsServerFacts,
    summary: "resource metrics API (replaces the k3s-bundled copy, which bootstrap disables)",
  };
}

export interface KuredProps extends VersionProps {
  /** Days reboots may happen on (mo … su). */
  readonly rebootDays: readonly string[];
  /** The reboot window, HH:MM in timeZone. */
  readonly startTime: string;
  readonly endTime: string;
  /** IANA time zone of the window. */
  readonly timeZone: string;
}

export function kured(props: KuredProps): PlatformComponent {
  const s = props;
  return {
    name: "kured",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.kured, s.version),
      releaseName: "kured",
      values: {
        configuration: {
          period: "1h",
          rebootDays: s.rebootDays,
          startTime: s.startTime,
          endTime: s.endTime,
          timeZone: s.timeZone,
          drainTimeout: "15m",
          // Longhorn volumes detach cleanly only when their pods are evicted first.
          drainGracePeriod: "60",
        },
        // Reboot every node, GPU and VPN workers and control planes included.
        tolerations: [{ operator: "Exists" }],
      },
    },
    facts: kuredFacts,
    summary: `reboots one node at a time on ${s.rebootDays.join(",")} ${s.startTime}-${s.endTime} ${s.timeZone}, 15 min drain timeout`,
  };
}

// Chart facts of metrics-server 3.13.0: kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.0:charts/metrics-server/.
export const metricsServerFacts: UpstreamFacts = {
  upstream: "metrics-server",
  confirmedAt: "3.13.0",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    // templates/rolebinding.yaml#L1-L17: the auth-reader RoleBinding is always in kube-system.
    objects: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", name: "metrics-server-auth-reader", namespace: "kube-system" }],
    // values.yaml#L173-L176 (requests 100m / 200Mi), #L185-L189 (no selector, no tolerations).
    workloads: [
      {
        kind: "Deployment",
        name: "metrics-server",
        namespace,
        replicas: values.replicas ?? 1,
        nodeSelector: values.nodeSelector ?? {},
        tolerations: values.tolerations ?? [],
        requests: { cpu: "100m", memory: "200Mi", ...(values.resources?.requests ?? {}) },
      },
    ],
  }),
};

// Chart facts of kured 5.3.2: kubereboot/charts@kured-5.3.2:charts/kured/values.yaml#L126-L131.
export const kuredFacts: UpstreamFacts = {
  upstream: "kured",
  confirmedAt: "5.3.2",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    workloads: [
      {
        kind: "DaemonSet",
        name: "kured",
        namespace,
        nodeSelector: helmMerge(linuxNodes, values.nodeSelector),
        tolerations: values.tolerations ?? [],
      },
    ],
  }),
};
