// One application from a few lines of spec: a single-replica Deployment (Recreate, since its
// config volume is ReadWriteOnce), its Service, a Longhorn volume for /config, the host
// directories it asks for, an HTTPS route on the shared Gateway (external-dns publishes it), a
// NetworkPolicy, probes and resources; GPU apps on the GPU worker, VPN apps on a VPN worker
// behind a gluetun kill switch; with backups, the volume backed up on a schedule and restored
// from its newest backup when it is created (volume-backup.ts). The construct's id is the app's
// name; its namespace is the chart's.
import { ApiObject, Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { Construct } from "constructs";
import { l2AnnouncementLabel, sharedGateway, storageClassName } from "../../cluster/contract";
import { HttpRoute } from "../../imports/gateway-api-httproute-gateway.networking.k8s.io";
import { appContainer, type AppResources } from "./app-container";
import { placementOf, type AppPlacement } from "./app-placement";
import { appProfile, profileOf, type AppProfileName } from "./app-profile";
import { hostWhitelistInit } from "./sabnzbd-host-whitelist";
import { kubeObject } from "../../lib/kube-object";
import { restoreDataSource, VolumeBackup } from "./volume-backup";
import { appVolumeClaim } from "../../cluster/app-backups";

export type { AppPlacement, AppResources, AppProfileName };

export interface HomelabAppProps {
  /** registry/name:tag, pinned. */
  readonly image: string;
  /** The port the app listens on. */
  readonly port: number;
  /** Host name (FQDN) of its HTTPS route on the shared Gateway. @default no route */
  readonly host?: string;
  /** HTTP path the probes ask. @default TCP probes */
  readonly probePath?: string;
  /** How the image wants to run. @default "linuxserver" for lscr.io/linuxserver images, else "generic" */
  readonly profile?: AppProfileName;
  /** The app's TZ. @default "UTC" */
  readonly timeZone?: string;
  /** Size of the Longhorn volume mounted at /config, in GiB. @default 5 */
  readonly configGiB?: number;
  /** Host directories (the same on every worker) mounted at the same path. @default none */
  readonly hostDirectories?: readonly string[];
  /** Requests and limits. @default requests 100m / 256Mi, limits 2 / 1Gi */
  readonly resources?: AppResources;
  /** Plain, non-secret environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** A Secret whose keys become environment variables (the app's secretEnv). @default none */
  readonly envFromSecret?: string;
  /** Apps of the same namespace allowed to connect (besides the Gateway). @default none */
  readonly peers?: readonly string[];
  /**
   * A LoadBalancer Service on this pool address for direct clients from clientCidr, with
   * externalTrafficPolicy Local (clients' own addresses reach the app). `announcedBy` labels it
   * for the L2 policy that announces it only from the nodes its pods may run on. @default none
   */
  readonly directAccess?: { readonly ip: string; readonly clientCidr: string; readonly announcedBy?: string };
  /** Where it runs. @default { kind: "any" } */
  readonly placement?: AppPlacement;
  /** A SABnzbd image: its route's host goes into host_whitelist before it starts. @default false */
  readonly sabnzbdHostWhitelist?: boolean;
  /** Back the config volume up, and restore it when it is created. @default no backup */
  readonly backup?: AppVolumeBackup;
}

/** When the app's volume is backed up (cron, UTC) and how many backups it keeps. */
export interface AppVolumeBackup {
  readonly schedule: string;
  readonly retain: Readonly<Record<string, number>>;
}

const q = k8s.Quantity.fromString;

export class HomelabApp extends Construct {
  constructor(scope: Construct, id: string, props: HomelabAppProps) {
    super(scope, id);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`HomelabApp ${id} needs a chart with a namespace`);
    const selector = { "app.kubernetes.io/name": id };
    const labels = { ...selector, "app.kubernetes.io/part-of": namespace, "app.kubernetes.io/managed-by": "homelab-synth" };
    const metadata = { name: id, namespace, labels };

    const claim = appVolumeClaim(id);
    const capacity = `${props.configGiB ?? 5}Gi`;
    const accessModes = ["ReadWriteOnce"];
    kubeObject(k8s.KubePersistentVolumeClaim, this, "config", {
      metadata: { ...metadata, name: claim },
      spec: {
        accessModes,
        storageClassName,
        resources: { requests: { storage: q(capacity) } },
        ...(props.backup ? { dataSourceRef: restoreDataSource(claim) } : {}),
      },
    });
    if (props.backup) new VolumeBackup(this, "backup", { claim, capacity, storageClassName, accessModes, labels, ...props.backup });
    this.deployment(id, metadata, selector, props);
    this.services(id, metadata, selector, props);
    if (props.host) {
      kubeObject(HttpRoute, this, "route", {
        metadata,
        spec: {
          parentRefs: [{ name: sharedGateway.name, namespace: sharedGateway.namespace, sectionName: sharedGateway.httpsListener }],
          hostnames: [props.host],
          rules: [{ backendRefs: [{ name: id, port: props.port }] }],
        },
      });
    }
    this.policies(id, metadata, selector, props);
  }

  private deployment(id: string, metadata: k8s.ObjectMeta, selector: Record<string, string>, props: HomelabAppProps): void {
    const profile = appProfile(profileOf(props.image, props.profile), props.timeZone ?? "UTC");
    const placement = placementOf(props.placement ?? { kind: "any" }, props.port, props.timeZone ?? "UTC");
    const volumes: k8s.Volume[] = [{ name: "config", persistentVolumeClaim: { claimName: appVolumeClaim(id) } }];
    const mounts: k8s.VolumeMount[] = [{ name: "config", mountPath: "/config" }];
    (props.hostDirectories ?? []).forEach((path, i) => {
      volumes.push({ name: `shared-${i}`, hostPath: { path, type: "Directory" } });
      mounts.push({ name: `shared-${i}`, mountPath: path });
    });
    volumes.push(...placement.volumes);
    const env = { ...profile.env, ...placement.env, ...props.env };
    const whitelist = props.sabnzbdHostWhitelist && props.host ? [hostWhitelistInit(props.image, props.host, profile.containerSecurityContext)] : [];
    const initContainers = [...whitelist, ...(placement.pod.initContainers ?? [])];
    kubeObject(k8s.KubeDeployment, this, "deployment", {
      metadata,
      spec: {
        replicas: 1,
        // The config volume is ReadWriteOnce: the old pod must let go before the new one starts.
        strategy: { type: "Recreate" },
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata.labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: profile.podSecurityContext,
            ...placement.pod,
            ...(initContainers.length ? { initContainers } : {}),
            containers: [
              {
                ...appContainer({
                  name: id,
                  image: props.image,
                  port: props.port,
                  probePath: props.probePath,
                  env,
                  mounts,
                  securityContext: profile.containerSecurityContext,
                  resources: props.resources,
                  extraLimits: placement.limits,
                }),
                ...(props.envFromSecret ? { envFrom: [{ secretRef: { name: props.envFromSecret } }] } : {}),
              },
            ],
            volumes,
          },
        },
      },
    });
  }

  private services(id: string, metadata: k8s.ObjectMeta, selector: Record<string, string>, props: HomelabAppProps): void {
    const target = k8s.IntOrString.fromString("http");
    kubeObject(k8s.KubeService, this, "service", {
      metadata,
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: props.port, targetPort: target }] },
    });
    if (!props.directAccess) return;
    kubeObject(k8s.KubeService, this, "direct", {
      // Cilium LB IPAM hands out the requested pool address; L2 announcements make it reachable.
      metadata: {
        ...metadata,
        name: `${id}-direct`,
        labels: { ...metadata.labels, ...(props.directAccess.announcedBy ? { [l2AnnouncementLabel]: props.directAccess.announcedBy } : {}) },
        annotations: { "lbipam.cilium.io/ips": props.directAccess.ip },
      },
      spec: { type: "LoadBalancer", externalTrafficPolicy: "Local", selector, ports: [{ name: "direct", port: props.port, targetPort: target }] },
    });
  }

  private policies(id: string, metadata: k8s.ObjectMeta, selector: Record<string, string>, props: HomelabAppProps): void {
    // Isolates the pod: only the declared peers and (for direct clients) the LAN may connect…
    kubeObject(k8s.KubeNetworkPolicy, this, "policy", {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              ...(props.peers ?? []).map((peer) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": peer } } })),
              ...(props.directAccess ? [{ ipBlock: { cidr: props.directAccess.clientCidr } }] : []),
            ],
            ports: [{ port: k8s.IntOrString.fromNumber(props.port), protocol: "TCP" }],
          },
        ],
      },
    });
    // …and the Gateway: Cilium's proxy reaches backends with the reserved `ingress` identity,
    // which only a CiliumNetworkPolicy can name. Cilium unions the allow rules of both.
    new ApiObject(this, "gateway-policy", {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      metadata: { ...metadata, name: `${id}-from-gateway` },
      spec: {
        endpointSelector: { matchLabels: selector },
        ingress: [{ fromEntities: ["ingress"], toPorts: [{ ports: [{ port: String(props.port), protocol: "TCP" }] }] }],
      },
    });
  }
}
