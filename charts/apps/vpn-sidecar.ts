// The VPN path of VPN-routed apps: they run on the VPN workers (the reference lab's dedicated nodes)
// and with a gluetun sidecar. All containers of a pod share its network namespace, so
// gluetun's tunnel and firewall (its kill switch) carry or drop every packet the app sends:
// nothing leaks outside the tunnel, even while the tunnel is down. Credentials come from the
// Secret `vpn-<region>`, which the sealed-secrets controller decrypts from a SealedSecret in the
// namespaces application (npm run seal; docs/secrets.md).
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { appImages } from "./app-images";
import { vpnSecretName } from "../../cluster/contract";

export interface GluetunProps {
  /** VPN region: the credentials come from the Secret vpn-<region>. @default "default" */
  readonly region?: string;
  /** The app's port, which must stay reachable (Gateway, peers, its probes) through the pod's firewall. */
  readonly appPort: number;
  /** In-cluster ranges (pods, services) that go around the tunnel. */
  readonly clusterCidrs: readonly string[];
  readonly timeZone: string;
}

/**
 * gluetun's health server, which its probes ask. Opened in its own firewall like the app's port:
 * gluetun v3.40 drops every input but loopback, replies and FIREWALL_INPUT_PORTS, and in a Cilium
 * pod its "local subnet" is the route to the node, not the pod's own address
 * (qdm12/gluetun@v3.40.0: internal/firewall/enable.go#L74-L138, internal/routing/local.go#L24-L89;
 * `npm run check` rule vpn-firewall).
 */
export const gluetunHealthPort = 9999;

export function gluetunSidecar(props: GluetunProps): k8s.Container {
  const health = k8s.IntOrString.fromNumber(gluetunHealthPort);
  return {
    name: "gluetun",
    image: appImages.gluetun,
    imagePullPolicy: "IfNotPresent",
    // Native sidecar (restartPolicy Always in initContainers): up before the app, down after it.
    restartPolicy: "Always",
    envFrom: [{ secretRef: { name: vpnSecretName(props.region) } }],
    env: [
      { name: "TZ", value: props.timeZone },
      // The app's port (the Gateway, peers, the app's probes) and the health port (gluetun's
      // probes) are the only inputs its firewall lets through.
      { name: "FIREWALL_INPUT_PORTS", value: [...new Set([props.appPort, gluetunHealthPort])].join(",") },
      // In-cluster traffic (probes, peers, DNS) goes around the tunnel, nothing else.
      { name: "FIREWALL_OUTBOUND_SUBNETS", value: props.clusterCidrs.join(",") },
      { name: "DNS_KEEP_NAMESERVER", value: "on" },
      { name: "HEALTH_SERVER_ADDRESS", value: `:${gluetunHealthPort}` },
    ],
    securityContext: { capabilities: { add: ["NET_ADMIN"] }, allowPrivilegeEscalation: false },
    volumeMounts: [{ name: "tun", mountPath: "/dev/net/tun" }],
    startupProbe: { httpGet: { path: "/", port: health }, periodSeconds: 5, failureThreshold: 60 },
    livenessProbe: { httpGet: { path: "/", port: health }, periodSeconds: 30 },
    resources: {
      requests: { cpu: k8s.Quantity.fromString("50m"), memory: k8s.Quantity.fromString("64Mi") },
      limits: { cpu: k8s.Quantity.fromString("500m"), memory: k8s.Quantity.fromString("256Mi") },
    },
  };
}

export const tunDevice: k8s.Volume = { name: "tun", hostPath: { path: "/dev/net/tun", type: "CharDevice" } };
