// One application from a few lines of spec: a single-replica Deployment (Recreate, since its
// config volume is ReadWriteOnce), its Service, a Longhorn volume for /config, the shared
// host directories it asks for, an HTTPS route on the shared Gateway at <host>.<domain>
// (external-dns publishes it), a NetworkPolicy, probes and resources; GPU apps on the GPU
// worker, VPN apps on a VPN worker behind a gluetun kill switch.
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { AppSpec, Cluster } from "../../cluster/schema";
import { HttpRoute } from "../../imports/gateway-api-httproute-gateway.networking.k8s.io";
import { vpnNodeLabel, vpnRegionLabel, vpnTaint } from "../../infra/bootstrap/k3s-config";
import { sharedGateway } from "../platform/gateway";
import { gpuNodeLabel, gpuTaint } from "../platform/gpu-plugins";
import { appProfile } from "./app-profile";
import { gluetunSidecar, tunDevice } from "./vpn-sidecar";

export interface HomelabAppProps {
  readonly cluster: Cluster;
  readonly app: AppSpec;
}

const q = k8s.Quantity.fromString;

export class HomelabApp extends Construct {
  constructor(scope: Construct, id: string, props: HomelabAppProps) {
    super(scope, id);
    const { cluster, app } = props;
    const profile = appProfile(cluster, app);
    const labels = { "app.kubernetes.io/name": app.name, "app.kubernetes.io/part-of": app.namespace, "app.kubernetes.io/managed-by": "homelab-synth" };
    const selector = { "app.kubernetes.io/name": app.name };
    const metadata = { name: app.name, namespace: app.namespace, labels };
    const port = k8s.IntOrString.fromNumber(app.port);

    new k8s.KubePersistentVolumeClaim(this, "config", {
      metadata: { ...metadata, name: `${app.name}-config` },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "longhorn", resources: { requests: { storage: q(`${app.configGiB}Gi`) } } },
    });

    const probe = app.probePath ? { httpGet: { path: app.probePath, port } } : { tcpSocket: { port } };
    const volumes: k8s.Volume[] = [{ name: "config", persistentVolumeClaim: { claimName: `${app.name}-config` } }];
    const mounts: k8s.VolumeMount[] = [{ name: "config", mountPath: "/config" }];
    app.mounts.forEach((path, i) => {
      // The virtiofs shares every worker mounts at the same path (seed 000: /data, /archive).
      volumes.push({ name: `shared-${i}`, hostPath: { path, type: "Directory" } });
      mounts.push({ name: `shared-${i}`, mountPath: path });
    });
    if (app.vpn) volumes.push(tunDevice);

    const gpuLimit: Record<string, k8s.Quantity> = app.gpu ? { "nvidia.com/gpu": q("1") } : {};
    const env = { ...profile.env, ...(app.gpu ? { NVIDIA_VISIBLE_DEVICES: "all", NVIDIA_DRIVER_CAPABILITIES: "compute,video,utility" } : {}), ...app.env };

    new k8s.KubeDeployment(this, "deployment", {
      metadata,
      spec: {
        replicas: 1,
        // The config volume is ReadWriteOnce: the old pod must let go before the new one starts.
        strategy: { type: "Recreate" },
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: profile.podSecurityContext,
            ...(app.gpu ? gpuScheduling() : {}),
            ...(app.vpn ? vpnScheduling(app) : {}),
            ...(app.vpn ? { initContainers: [gluetunSidecar(cluster, app)] } : {}),
            containers: [
              {
                name: app.name,
                image: app.image,
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: app.port }],
                env: Object.entries(env).map(([name, value]) => ({ name, value })),
                securityContext: profile.containerSecurityContext,
                volumeMounts: mounts,
                startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 30 },
                livenessProbe: { ...probe, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
                readinessProbe: { ...probe, periodSeconds: 10, timeoutSeconds: 5 },
                resources: {
                  requests: { cpu: q(app.resources.cpu), memory: q(app.resources.memory) },
                  limits: { cpu: q(app.resources.cpuLimit), memory: q(app.resources.memoryLimit), ...gpuLimit },
                },
              },
            ],
            volumes,
          },
        },
      },
    });

    new k8s.KubeService(this, "service", {
      metadata,
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: app.port, targetPort: k8s.IntOrString.fromString("http") }] },
    });
    if (app.loadBalancerIp) {
      new k8s.KubeService(this, "direct", {
        // Cilium LB IPAM hands out the requested pool address; L2 announcements make it reachable.
        metadata: { ...metadata, name: `${app.name}-direct`, annotations: { "lbipam.cilium.io/ips": app.loadBalancerIp } },
        spec: { type: "LoadBalancer", externalTrafficPolicy: "Local", selector, ports: [{ name: "direct", port: app.port, targetPort: k8s.IntOrString.fromString("http") }] },
      });
    }

    const host = `${app.host ?? app.name}.${cluster.domain}`;
    new HttpRoute(this, "route", {
      metadata,
      spec: {
        parentRefs: [{ name: sharedGateway.name, namespace: sharedGateway.namespace, sectionName: sharedGateway.httpsListener }],
        hostnames: [host],
        rules: [{ backendRefs: [{ name: app.name, port: app.port }] }],
      },
    });

    // Isolates the pod: only the declared peers and (for direct clients) the LAN may connect…
    new k8s.KubeNetworkPolicy(this, "policy", {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              ...app.peers.map((peer) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": peer } } })),
              ...(app.loadBalancerIp ? [{ ipBlock: { cidr: cluster.network.cidr } }] : []),
            ],
            ports: [{ port: k8s.IntOrString.fromNumber(app.port), protocol: "TCP" }],
          },
        ],
      },
    });
    // …and the Gateway: Cilium's proxy reaches backends with the reserved `ingress` identity,
    // which only a CiliumNetworkPolicy can name. Cilium unions the allow rules of both.
    new ApiObject(this, "gateway-policy", {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      metadata: { ...metadata, name: `${app.name}-from-gateway` },
      spec: {
        endpointSelector: { matchLabels: selector },
        ingress: [{ fromEntities: ["ingress"], toPorts: [{ ports: [{ port: String(app.port), protocol: "TCP" }] }] }],
      },
    });
  }
}

function gpuScheduling(): Pick<k8s.PodSpec, "runtimeClassName" | "nodeSelector" | "tolerations"> {
  return {
    runtimeClassName: "nvidia",
    nodeSelector: { [gpuNodeLabel]: "nvidia" },
    tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }],
  };
}

function vpnScheduling(app: AppSpec): Pick<k8s.PodSpec, "nodeSelector" | "tolerations"> {
  return {
    nodeSelector: { [vpnNodeLabel]: "true", ...(app.vpnRegion ? { [vpnRegionLabel]: app.vpnRegion } : {}) },
    tolerations: [{ key: vpnTaint.key, operator: "Equal", value: vpnTaint.value, effect: vpnTaint.effect }],
  };
}
