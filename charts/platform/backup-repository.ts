// The app backups' repositories: restic's REST server, serving the directory of a shared
// directory the spec names (platform.volsync.sharedDirectory; /bulk-storage/volsync on the host,
// /data/volsync in the workers), one restic repository per app volume. Backups outlive every VM
// because they are on the host's pool, and one process writes them: the movers on any node reach it
// over the network only.
//
// It fails closed. An empty directory would look like a repository that was never made: VolSync
// would initialize it and restore nothing, and the apps would start empty. So the directory must
// already exist on the shared directory (hostPath type Directory, never DirectoryOrCreate: if the
// share is not mounted, there is no such directory on the worker's own disk), and it must hold the
// marker file made once on the host (docs/storage.md): without it the server does not start (init
// container) and stops being ready (readiness probe), its Service has no endpoint, and every
// backup and restore fails and retries instead of starting from nothing. The movers are its only
// clients (NetworkPolicy); the repositories' contents are encrypted with the sealed restic password.
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Chart } from "cdk8s";
import { backupRepository, repositorySetupCommand, type AppBackups } from "../../cluster/app-backups";
import { nodeLabels, taints, toleration } from "../../cluster/contract";
import { kubeObject } from "../../lib/kube-object";
import type { PlatformComponent } from "./component";
import { images } from "./versions";
import { certificateCarryBackup } from "./certificate-carry";
import { ignoreHealthAnnotation } from "../sealed/sealed-secret";

export interface BackupRepositoryOptions {
  /**
   * Also back up the Gateway's wildcard certificate (charts/platform/certificate-carry.ts): the
   * gateway's Application then syncs after this one, so nothing here may hold its wave.
   */
  readonly carryCertificate: boolean;
}

const { name, namespace, port, marker, uid, moverLabel } = backupRepository;
const mountPath = "/repositories";
const selector = { "app.kubernetes.io/name": name };
const q = k8s.Quantity.fromString;

export function backupRepositoryComponent(backups: AppBackups, options: BackupRepositoryOptions = { carryCertificate: false }): PlatformComponent {
  return {
    name: namespace,
    namespace,
    podSecurity: "privileged", // a hostPath volume is allowed at no lower level
    // The certificate's restic password is a SealedSecret here (charts/sealed/targets.ts).
    dependsOn: options.carryCertificate ? ["sealed-secrets"] : [],
    summary: `restic REST server on ${backups.guestDirectory} (shared directory ${backups.sharedDirectory}, ${backups.hostDirectory} on the host); refuses to serve without ${marker} there${options.carryCertificate ? "; carries the Gateway's certificate across a rebuild" : ""}`,
    manifests: (chart) => {
      repositoryObjects(chart, backups, options);
      if (options.carryCertificate) certificateCarryBackup(chart);
    },
  };
}

function repositoryObjects(chart: Chart, backups: AppBackups, options: BackupRepositoryOptions): void {
  const labels = { ...selector, "app.kubernetes.io/part-of": namespace, "app.kubernetes.io/managed-by": "homelab-synth" };
  const metadata = { name, namespace, labels };
  const markerPath = `${mountPath}/${marker}`;
  const missing = `${backups.guestDirectory}/${marker} is missing: the shared directory ${backups.sharedDirectory} is not mounted here, or the repositories were never set up; on the Proxmox host run: ${repositorySetupCommand(backups)}`;
  const securityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
  kubeObject(k8s.KubeDeployment, chart, "deployment", {
    // Before the gateway's wave, the server must not hold it: without its marker (or its share) it
    // is never ready, and that may cost the backups and the certificate's carry, never the Gateway.
    metadata: options.carryCertificate ? { ...metadata, annotations: { [ignoreHealthAnnotation]: "true" } } : metadata,
    spec: {
      replicas: 1,
      // One writer of the repositories at a time.
      strategy: { type: "Recreate" },
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // The repositories belong to this uid on the host (repositorySetupCommand); kubelet never
          // changes a hostPath's owner, and fsGroup does not apply to one.
          securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: "RuntimeDefault" } },
          // Every worker mounts the shared directories (infra/user-data.ts); control planes do not.
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: nodeLabels.controlPlane, operator: "DoesNotExist" }] }],
              },
            },
          },
          tolerations: [toleration(taints.gpu, "Exists"), toleration(taints.vpn, "Exists")],
          initContainers: [
            {
              name: "marker",
              image: images.restServer,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", `test -f ${markerPath} || { echo "${missing}" >&2; exit 1; }`],
              securityContext,
              resources: { requests: { cpu: q("10m"), memory: q("16Mi") }, limits: { cpu: q("100m"), memory: q("32Mi") } },
              volumeMounts: [{ name: "repositories", mountPath, readOnly: true }],
            },
          ],
          containers: [
            {
              name,
              image: images.restServer,
              imagePullPolicy: "IfNotPresent",
              // rest-server itself, not the image's entrypoint, which would create an empty htpasswd
              // (restic/rest-server@v0.14.0: docker/entrypoint.sh#L5-L19). No authentication: the
              // NetworkPolicy admits only VolSync's movers, and no append-only mode, which would
              // refuse the forget VolSync runs after every backup (repo/repo.go#L737-L740).
              command: ["rest-server", "--path", mountPath, "--listen", `:${port}`, "--no-auth"],
              ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
              securityContext,
              resources: { requests: { cpu: q("50m"), memory: q("64Mi") }, limits: { cpu: q("2"), memory: q("512Mi") } },
              livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 20 },
              // Not ready without the marker: its Service then has no endpoint and every mover fails closed.
              readinessProbe: { exec: { command: ["test", "-f", markerPath] }, periodSeconds: 10 },
              volumeMounts: [{ name: "repositories", mountPath }],
            },
          ],
          volumes: [{ name: "repositories", hostPath: { path: backups.guestDirectory, type: "Directory" } }],
        },
      },
    },
  });
  kubeObject(k8s.KubeService, chart, "service", {
    metadata,
    spec: { type: "ClusterIP", selector, ports: [{ name: "http", port, targetPort: k8s.IntOrString.fromString("http") }] },
  });
  kubeObject(k8s.KubeNetworkPolicy, chart, "policy", {
    metadata,
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                // The certificate carry's jobs run in the server's own namespace.
                matchExpressions: [
                  { key: "kubernetes.io/metadata.name", operator: "In", values: [...backups.namespaces, ...(options.carryCertificate ? [namespace] : [])] },
                ],
              },
              podSelector: { matchLabels: { [moverLabel.key]: moverLabel.value } },
            },
          ],
          ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: "TCP" }],
        },
      ],
    },
  });
}
