// The app directories the "apps" project deploys — the namespaces, then each enabled app — and
// what each needs before its Application may sync: its namespace; the shared Gateway its route
// attaches to; Longhorn for its config volume; Cilium, whose operator registers the
// CiliumNetworkPolicy CRD (and announces its direct-access address); the sealed-secrets
// controller for a directory with a SealedSecret (an app's secretEnv, the namespaces' VPN
// credentials), whose CRD it installs and whose Secret exists only once the controller decrypts
// it. Not the NVIDIA device plugin for a GPU app: its RuntimeClass `nvidia` is k3s's, there from
// the start, and its pod waits Pending for nvidia.com/gpu until the plugin advertises it (the
// scheduler retries when the node's allocatable changes), so the plugin shares the apps' wave.
// One wave earlier, a GPU node without a working driver (the plugin Progressing for ever) would
// hold every app's sync, and every later commit: Argo CD waits for each wave but the last
// (charts/argocd/waves.ts). With backups, VolSync and the snapshot controller: the app's volume's
// backup and restore (their CRDs, Longhorn's VolumeSnapshotClass). Not the repositories' server:
// a restore waits for it by itself (the claim stays Pending), and a missing repository must hold
// back the apps' restores, not every Application of a later wave.
import type { Cluster } from "../../cluster/schema";
import type { PlatformComponent } from "../platform/component";
import { sealedSecretsName } from "../platform";
import { sealedTargets } from "../sealed/targets";
import { appBackupsOf } from "../../cluster/app-backups";

/** An app directory (namespaces, each workload) that the "apps" project deploys. */
export interface AppDirectory {
  readonly name: string;
  readonly namespace: string;
  readonly dependsOn: readonly string[];
}

export const namespacesDirectory = "namespaces";

const appDependencies: readonly string[] = [namespacesDirectory, "gateway", "longhorn", "cilium"];
/** What a backed-up volume needs before its Application syncs. */
const backupDependencies: readonly string[] = ["volsync", "snapshot-controller"];

/** The app directories of a spec; a dependency on a component it does not deploy is dropped. */
export function appDirectories(cluster: Cluster, components: readonly PlatformComponent[]): AppDirectory[] {
  const enabled = cluster.apps.filter((a) => a.enabled);
  if (!enabled.length) return [];
  const deployed = new Set([namespacesDirectory, ...components.map((c) => c.name)]);
  const backedUp = appBackupsOf(cluster) !== undefined;
  const sealedIn = new Set(sealedTargets(cluster).map((t) => t.renderedIn));
  const sealed = (name: string) => (sealedIn.has(name) ? [sealedSecretsName] : []);
  return [
    { name: namespacesDirectory, namespace: "default", dependsOn: sealed(namespacesDirectory).filter((d) => deployed.has(d)) },
    ...enabled.map((app) => ({
      name: app.name,
      namespace: app.namespace,
      dependsOn: [...appDependencies, ...(backedUp ? backupDependencies : []), ...sealed(app.name)].filter((d) => deployed.has(d)),
    })),
  ];
}
