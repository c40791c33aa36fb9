// The wildcard certificate outlives a rebuild: a daily backup of its Secret into a restic
// repository of the app backups' server, and a restore before the gateway's Certificate exists,
// so a rebuilt cluster serves the certificate it had instead of ordering the same one again
// (Let's Encrypt: 5 per set of names a week; cert-manager then waits 1–32 h).
//
// cert-manager v1.21.1 takes a restored Secret as its own: a Certificate whose Secret exists with
// a key pair, issuer annotations matching its issuerRef and names matching its dnsNames is not
// issued (internal/controller/certificates/policies/policies.go#L71-L85, checks.go#L161-L172,
// #L214-L253: with no CertificateRequest it compares the certificate itself) until it nears expiry
// (#L258-L325): one renewal order, as on the old cluster. A temporary certificate is written only
// while issuing and only into a missing or invalid Secret (pkg/controller/certificates/issuing/
// issuing_controller.go#L396-L402, temporary.go#L38-L65): a restored Secret is served from the
// start, and an expired one until its renewal succeeds. Its managed labels and annotations are
// applied again under cert-manager's field manager, no order (secret_manager.go#L38-L98). The
// controller.cert-manager.io/fao label keeps it in cert-manager's full Secret cache
// (internal/informers/core_filteredsecrets.go#L55-L66, feature SecretsFilteredCaching on by default,
// internal/controller/feature/features.go#L222). No owner reference: cert-manager sets none unless
// --enable-certificate-owner-ref (internal/apis/config/controller/v1alpha1/defaults.go#L74), and
// one naming the old cluster's Certificate would have the garbage collector delete the restored
// Secret; the export drops it, with uid, resourceVersion and managedFields.
//
// Both run in the repository server's namespace, beside the sealed password: a SealedSecret in
// the gateway's Application could not be decrypted before the restore without holding the
// Gateway's sync on its health (gitops-engine/pkg/sync/sync_context.go#L538-L556), and the
// gateway's Application syncs after the server's (charts/platform/index.ts). A Role in the
// gateway's namespace lets each read (and the restore create) that one Secret.
import type { Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { backupRepository, certificateCarry, repositoryPassword, repositoryUrl } from "../../cluster/app-backups";
import { sharedGateway } from "../../cluster/contract";
import { kubeObject } from "../../lib/kube-object";
import { ignoreHealthAnnotation } from "../sealed/sealed-secret";
import { images } from "./versions";

/** The gateway's Certificate and the Secret it writes (charts/platform/gateway.ts). */
export const wildcardCertificate = { name: "wildcard", secret: "wildcard-tls" } as const;

const gatewayNamespace = sharedGateway.namespace;
const { namespace } = backupRepository;
const carryDir = "/carry";
// restic writes each new pack to a temporary file before it uploads it (restic@v0.18.1:
// internal/repository/packer_manager.go#L204, os.TempDir() in internal/fs/file_unix.go#L19-L31),
// and kubectl keeps its discovery cache under HOME: both on a volume, the root is read-only.
const scratchDir = "/tmp";
/** Written by the restore's probe when the Secret exists: then nothing is fetched. */
const existsFlag = "secret-exists";
const q = k8s.Quantity.fromString;

/** The restic repository of the certificate, on the app backups' server. */
export const certificateRepository = repositoryUrl(gatewayNamespace, wildcardCertificate.secret);

// Each script reads CARRY_DIR and its time limits from the environment with the defaults below;
// the manifests set none of them (tests do, to run the scripts in a temporary directory, fast).
const preamble = (shell: "sh" | "bash", readsFile = true) =>
  [
    shell === "bash" ? "set -uo pipefail" : "set -u",
    `dir="\${CARRY_DIR:-${carryDir}}"`,
    ...(readsFile ? [`file="$dir/${certificateCarry.file}"`] : []),
    `say() { echo "certificate carry: $*"; }`,
  ].join("\n");

const tls = `Secret ${gatewayNamespace}/${wildcardCertificate.secret}`;
const ordered = "cert-manager orders a new certificate";

/** Backup, first step (kubectl image, bash): the Secret as JSON, only when the Certificate is Ready. */
export function backupExportScript(): string {
  const { name, secret } = wildcardCertificate;
  return `${preamble("bash")}
limit="\${CARRY_CALL_SECONDS:-60}"
ready=$(timeout "$limit" kubectl -n ${gatewayNamespace} get certificate ${name} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') || exit 1
if [ "$ready" != True ]; then
  # Never the temporary certificate: it is there only while the Certificate is not Ready.
  say "Certificate ${gatewayNamespace}/${name} is not Ready (\${ready:-no status yet}): nothing backed up, the last backup stays"
  exit 0
fi
# What a new cluster needs and nothing of this one: type, data, labels (controller.cert-manager.io/fao),
# annotations (cert-manager.io/*); no uid, resourceVersion, managedFields or ownerReferences.
timeout "$limit" kubectl -n ${gatewayNamespace} get secret ${secret} -o json |
  jq -e '{apiVersion: "v1", kind: "Secret", type: .type,
      metadata: {name: .metadata.name, labels: (.metadata.labels // {}),
        annotations: ((.metadata.annotations // {}) | del(."kubectl.kubernetes.io/last-applied-configuration"))},
      data: .data}
    | select(.metadata.annotations["cert-manager.io/issuer-name"] != null and (.data["tls.crt"] // "") != "" and (.data["tls.key"] // "") != "")' \\
  >"$file.part" || { say "${tls} holds no issued certificate: nothing backed up"; rm -f "$file.part"; exit 1; }
mv "$file.part" "$file"
say "exported ${tls}"
`;
}

/** Backup, second step (restic image, busybox sh): the exported file into the repository, which it creates once. */
export function backupUploadScript(): string {
  const { host, file, keepLast } = certificateCarry;
  return `${preamble("sh")}
if [ ! -s "$file" ]; then
  say "nothing exported: no backup written"
  exit 0
fi
restic --no-cache cat config >/dev/null
rc=$?
case $rc in
  0) ;;
  10)
    # Only a server that serves its marker's directory answers at all (charts/platform/backup-repository.ts).
    say "no repository at $RESTIC_REPOSITORY yet: creating it"
    restic --no-cache init || exit 1
    ;;
  *)
    say "cannot open $RESTIC_REPOSITORY (restic exit $rc): no backup written" >&2
    exit 1
    ;;
esac
restic --no-cache backup --host ${host} --stdin --stdin-filename ${file} <"$file" || exit 1
restic --no-cache forget --host ${host} --keep-last ${keepLast} --prune || exit 1
`;
}

/**
 * Restore, first step (kubectl image, bash): whether the Secret exists. When it does (every sync
 * but a rebuild's first), the next step fetches nothing: no private key leaves the repository
 * and no sync waits on a repository that does not answer. Always exit 0.
 */
export function restoreProbeScript(): string {
  return `${preamble("bash", false)}
limit="\${CARRY_CALL_SECONDS:-30}"
rm -f "$dir/${existsFlag}"
if timeout "$limit" kubectl -n ${gatewayNamespace} get secret ${wildcardCertificate.secret} -o name >/dev/null 2>&1; then
  : >"$dir/${existsFlag}"
  say "${tls} exists (cert-manager's): nothing to restore"
fi
exit 0
`;
}

/**
 * Restore, second step (restic image, busybox sh): the newest snapshot's file, if the repository
 * answers within a bounded wait. Every path ends with exit 0: the restore never fails the sync.
 */
export function restoreDownloadScript(): string {
  const { host, file } = certificateCarry;
  return `${preamble("sh")}
if [ -e "$dir/${existsFlag}" ]; then
  exit 0
fi
# The repository server may still be starting on a rebuilt cluster (workers, the share, its image).
wait_for="\${CARRY_WAIT_SECONDS:-480}"
limit="\${CARRY_CALL_SECONDS:-30}"
pause="\${CARRY_RETRY_SECONDS:-10}"
if [ -z "$(printenv ${repositoryPassword})" ] || [ -z "$(printenv RESTIC_REPOSITORY)" ]; then
  say "no restic password (Secret ${namespace}/${certificateCarry.secret} not decrypted, or ${repositoryPassword} not sealed for it): nothing restored, ${ordered}"
  exit 0
fi
deadline=$(($(date +%s) + wait_for))
while :; do
  timeout "$limit" restic --no-cache cat config >/dev/null 2>"$dir/restic.log"
  rc=$?
  case $rc in
    0) break ;;
    10)
      say "no repository at $RESTIC_REPOSITORY (a first boot, or no backup yet): nothing restored, ${ordered}"
      exit 0
      ;;
    12)
      say "the restic password does not open $RESTIC_REPOSITORY: nothing restored, ${ordered}"
      exit 0
      ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    say "$RESTIC_REPOSITORY did not answer within \${wait_for}s (restic exit $rc: $(tail -n 1 "$dir/restic.log")): nothing restored, ${ordered}"
    exit 0
  fi
  sleep "$pause"
done
if timeout "$limit" restic --no-cache dump --host ${host} latest /${file} >"$file.part" 2>"$dir/restic.log" && [ -s "$file.part" ]; then
  mv "$file.part" "$file"
  say "fetched the newest backup of ${tls} from $RESTIC_REPOSITORY"
else
  rm -f "$file.part"
  say "no backup of ${tls} in $RESTIC_REPOSITORY ($(tail -n 1 "$dir/restic.log")): nothing restored, ${ordered}"
fi
exit 0
`;
}

/** Restore, last step (kubectl image, bash): creates the Secret from the file unless it exists. Always exit 0. */
export function restoreCreateScript(): string {
  const { secret } = wildcardCertificate;
  return `${preamble("bash")}
limit="\${CARRY_CALL_SECONDS:-30}"
if [ ! -s "$file" ]; then
  say "nothing to restore into ${tls}"
  exit 0
fi
if ! jq -e '.kind == "Secret" and .metadata.name == "${secret}" and (.data["tls.crt"] // "") != "" and (.data["tls.key"] // "") != ""' "$file" >/dev/null 2>&1; then
  say "the backup is not the certificate's Secret: nothing restored, ${ordered}"
  exit 0
fi
if found=$(timeout "$limit" kubectl -n ${gatewayNamespace} get secret ${secret} -o name 2>&1); then
  say "${tls} exists (cert-manager's): left as it is"
  exit 0
fi
case $found in
  *NotFound* | *"not found"*) ;;
  *)
    say "cannot tell whether ${tls} exists ($found): nothing restored"
    exit 0
    ;;
esac
# create, never apply or replace: if cert-manager wrote the Secret meanwhile, it stays.
if created=$(jq '.metadata.namespace = "${gatewayNamespace}" | del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.managedFields, .metadata.ownerReferences)' "$file" |
  timeout "$limit" kubectl create -f - 2>&1); then
  say "restored ${tls} from the backup: cert-manager keeps it until it nears expiry"
else
  say "could not create ${tls} ($created): ${ordered}"
fi
exit 0
`;
}

const restrictedContainer = {
  imagePullPolicy: "IfNotPresent",
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  resources: { requests: { cpu: q("10m"), memory: q("32Mi") }, limits: { cpu: q("500m"), memory: q("256Mi") } },
  volumeMounts: [
    { name: "carry", mountPath: carryDir },
    { name: "scratch", mountPath: scratchDir },
  ],
};

/** The pod of either job: restricted, the mover label the repository server admits, the key in memory only. */
function carryPod(serviceAccountName: string, steps: k8s.Container[], last: k8s.Container): k8s.PodSpec {
  return {
    serviceAccountName,
    automountServiceAccountToken: false,
    restartPolicy: "Never",
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: steps,
    containers: [last],
    volumes: [
      // The private key never touches a node's disk.
      { name: "carry", emptyDir: { medium: "Memory", sizeLimit: q("4Mi") } },
      // restic's packs (encrypted) and kubectl's cache.
      { name: "scratch", emptyDir: { sizeLimit: q("64Mi") } },
      kubeApiVolume,
    ],
  };
}

const podLabels = (name: string) => ({
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/part-of": "certificate-carry",
  [backupRepository.moverLabel.key]: backupRepository.moverLabel.value,
});

function resticContainer(name: string, script: string, passwordOptional: boolean): k8s.Container {
  return {
    name,
    image: images.restic,
    command: ["sh", "-c", script],
    env: [
      { name: "HOME", value: scratchDir },
      { name: "TMPDIR", value: scratchDir },
      { name: "RESTIC_REPOSITORY", valueFrom: { secretKeyRef: { name: certificateCarry.secret, key: "RESTIC_REPOSITORY", optional: passwordOptional } } },
      { name: "RESTIC_PASSWORD", valueFrom: { secretKeyRef: { name: certificateCarry.secret, key: repositoryPassword, optional: passwordOptional } } },
    ],
    ...restrictedContainer,
  };
}

/** Where in-cluster clients read their token, CA and namespace (k8s.io/client-go rest.InClusterConfig). */
const apiCredentials = "/var/run/secrets/kubernetes.io/serviceaccount";

function kubectlContainer(name: string, script: string): k8s.Container {
  // The image's entrypoint is kubectl: run bash instead. HOME for kubectl's discovery cache. Only
  // this container gets the ServiceAccount's token: restic never talks to the API.
  return {
    name,
    image: images.kubectl,
    command: ["bash", "-c", script],
    env: [{ name: "HOME", value: scratchDir }],
    ...restrictedContainer,
    volumeMounts: [...restrictedContainer.volumeMounts, { name: "kube-api", mountPath: apiCredentials, readOnly: true }],
  };
}

/** The token, CA and namespace the service-account admission would mount into every container, for the kubectl one only. */
const kubeApiVolume: k8s.Volume = {
  name: "kube-api",
  projected: {
    sources: [
      { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardApi: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
  },
};

/** The repository server's side (its Application): the two ServiceAccounts and the daily backup. */
export function certificateCarryBackup(chart: Chart): void {
  for (const name of [certificateCarry.backup, certificateCarry.restore])
    kubeObject(k8s.KubeServiceAccount, chart, `sa-${name}`, { metadata: { name, namespace, labels: podLabels(name) } });
  const name = certificateCarry.backup;
  new k8s.KubeCronJob(chart, "certificate-backup", {
    metadata: {
      name,
      namespace,
      labels: podLabels(name),
      // Its Application is in a wave before the gateway's: a failed backup must not hold that wave.
      annotations: { [ignoreHealthAnnotation]: "true" },
    },
    spec: {
      schedule: certificateCarry.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 900,
          template: {
            metadata: { labels: podLabels(name) },
            spec: carryPod(name, [kubectlContainer("export", backupExportScript())], resticContainer("upload", backupUploadScript(), false)),
          },
        },
      },
    },
  });
}

/**
 * The gateway's side (its Application): what lets each job reach the certificate's Secret, and
 * the restore, a Sync hook one wave before the Certificate's. A hook, not a Job of the
 * Application: a Job's pod template is immutable, and a changed one would fail every sync; a
 * hook is created anew each sync (BeforeHookCreation). Argo CD applies a wave only after every
 * earlier one, hooks included, has finished (sync_context.go#L558-L581, #L644-L650), and a hook
 * that fails fails the sync (#L615-L626; a failed Job is Degraded, pkg/health/health_job.go
 * #L52-L63): so the restore's scripts end with exit 0 on every path, and a pod that never
 * starts (an image that cannot be pulled) ends at the Job's deadline, a failed sync that Argo CD
 * retries, instead of an operation that never ends.
 */
export function certificateCarryRestore(chart: Chart): void {
  const { secret, name: certificate } = wildcardCertificate;
  // Before the hook's wave: the Namespace goes with the first of its objects (sync_tasks.go#L114-L121).
  const rbacWave = { "argocd.argoproj.io/sync-wave": "-2" };
  const roles: [string, k8s.PolicyRule[]][] = [
    [
      certificateCarry.backup,
      [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [secret], verbs: ["get"] },
        { apiGroups: ["cert-manager.io"], resources: ["certificates"], resourceNames: [certificate], verbs: ["get"] },
      ],
    ],
    [
      certificateCarry.restore,
      [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [secret], verbs: ["get"] },
        // create cannot be limited to a name (the request has none when it is authorized).
        { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
      ],
    ],
  ];
  for (const [name, rules] of roles) {
    const metadata = { name, namespace: gatewayNamespace, annotations: rbacWave };
    new k8s.KubeRole(chart, `role-${name}`, { metadata, rules });
    new k8s.KubeRoleBinding(chart, `binding-${name}`, {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    });
  }
  const name = certificateCarry.restore;
  new k8s.KubeJob(chart, "certificate-restore", {
    metadata: {
      name,
      namespace,
      labels: podLabels(name),
      annotations: {
        "argocd.argoproj.io/hook": "Sync",
        "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "argocd.argoproj.io/sync-wave": "-1",
      },
    },
    spec: {
      backoffLimit: 0,
      // The scripts end well before (480 s of waiting, bounded calls); this ends a pod that never starts.
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: podLabels(name) },
        spec: carryPod(
          name,
          [kubectlContainer("probe", restoreProbeScript()), resticContainer("fetch", restoreDownloadScript(), true)],
          kubectlContainer("restore", restoreCreateScript()),
        ),
      },
    },
  });
}

/** Every script the carry renders, by container name: for the tests (shellcheck, runs). */
export const carryScripts = { backupExportScript, backupUploadScript, restoreProbeScript, restoreDownloadScript, restoreCreateScript };
