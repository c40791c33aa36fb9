// How an image wants to run. cdk8s-plus defaults (2 replicas, read-only root filesystem, run
// as non-root, imagePullPolicy Always) break images like Plex and linuxserver.io's: they start
// as root (s6-overlay), write all over their filesystem, then drop to PUID/PGID. A profile
// says what such an image needs, once, instead of per app.
import type * as k8s from "cdk8s-plus-30/lib/imports/k8s";

export type AppProfileName = "linuxserver" | "generic";

export interface AppProfile {
  readonly env: Record<string, string>;
  readonly podSecurityContext: k8s.PodSecurityContext;
  readonly containerSecurityContext: k8s.SecurityContext;
}

/** The reference lab gives /bulk-storage and /archive-storage to nobody:nogroup (65534). */
const nobody = 65534;

/** linuxserver.io images (lscr.io/linuxserver/…) run their way; anything else as a plain non-root image. */
export function profileOf(image: string, profile?: AppProfileName): AppProfileName {
  return profile ?? (image.startsWith("lscr.io/linuxserver/") ? "linuxserver" : "generic");
}

export function appProfile(kind: AppProfileName, timeZone: string): AppProfile {
  if (kind === "linuxserver") {
    return {
      env: { PUID: String(nobody), PGID: String(nobody), TZ: timeZone, UMASK: "002" },
      // Starts as root to set up, then s6 drops to PUID/PGID; the root filesystem stays writable.
      podSecurityContext: { fsGroup: nobody, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, runAsNonRoot: false },
    };
  }
  return {
    env: { TZ: timeZone },
    podSecurityContext: { runAsNonRoot: true, runAsUser: nobody, runAsGroup: nobody, fsGroup: nobody, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  };
}
