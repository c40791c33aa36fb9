// How an image wants to run. cdk8s-plus defaults (2 replicas, read-only root filesystem, run
// as non-root, imagePullPolicy Always) break images like Plex and linuxserver.io's: they start
// as root (s6-overlay), write all over their filesystem, then drop to PUID/PGID. A profile
// says what such an image needs, once, instead of per app.
import type * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { AppSpec, Cluster } from "../../cluster/schema";

export interface AppProfile {
  readonly env: Record<string, string>;
  readonly podSecurityContext: k8s.PodSecurityContext;
  readonly containerSecurityContext: k8s.SecurityContext;
}

/** seed 000 gives /bulk-storage and /archive-storage to nobody:nogroup (65534). */
const nobody = 65534;

export function appProfile(cluster: Cluster, app: AppSpec): AppProfile {
  const kind = app.profile ?? (app.image.startsWith("lscr.io/linuxserver/") ? "linuxserver" : "generic");
  if (kind === "linuxserver") {
    return {
      env: { PUID: String(nobody), PGID: String(nobody), TZ: cluster.timeZone, UMASK: "002" },
      // Starts as root to set up, then s6 drops to PUID/PGID; the root filesystem stays writable.
      podSecurityContext: { fsGroup: nobody, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, runAsNonRoot: false },
    };
  }
  return {
    env: { TZ: cluster.timeZone },
    podSecurityContext: { runAsNonRoot: true, runAsUser: nobody, runAsGroup: nobody, fsGroup: nobody, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  };
}
