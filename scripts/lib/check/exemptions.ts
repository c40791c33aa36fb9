// The exemptions a spec declares for rules of `npm run check`: its own list, and those that
// follow from what it asks for (a shared directory mount, the VPN sidecar's device).
import { appBackupsOf, appVolumeClaim, backupRepository } from "../../../cluster/app-backups";
import type { Cluster } from "../../../cluster/schema";
import type { Exemption } from "./findings";

/** Exemptions that follow from what the spec declares (mounts, VPN), plus the spec's own list. */
export function exemptionsFromSpec(cluster: Cluster): Exemption[] {
  const declared: Exemption[] = cluster.check.exemptions.map((e, i) => ({ ...e, declaredAt: `check.exemptions[${i}]` }));
  cluster.apps.forEach((app, i) => {
    const id = `Deployment/${app.namespace}/${app.name}`;
    for (const mount of app.mounts)
      declared.push({
        rule: "host-access",
        object: `${id}#hostPath:${mount}`,
        reason: `shared directory ${mount} (virtiofs on every worker)`,
        declaredAt: `apps[${i}].mounts`,
      });
    if (app.vpn) {
      declared.push({
        rule: "host-access",
        object: `${id}#hostPath:/dev/net/tun`,
        reason: "the gluetun VPN sidecar needs the TUN device",
        declaredAt: `apps[${i}].vpn`,
      });
      declared.push({
        rule: "host-access",
        object: `${id}#capability:NET_ADMIN`,
        reason: "the gluetun VPN sidecar manages the pod's routes and firewall (kill switch)",
        declaredAt: `apps[${i}].vpn`,
      });
    }
  });
  declared.push(...backupExemptions(cluster));
  return declared;
}

/**
 * The app backups' exemptions: the repository server mounts the directory of the shared
 * directory the spec names; and with backups off (platform.volsync.enabled: false), each app
 * volume's missing backup is the spec's choice, listed in every run rather than failing it.
 */
function backupExemptions(cluster: Cluster): Exemption[] {
  const backups = appBackupsOf(cluster);
  if (backups)
    return [
      {
        rule: "host-access",
        object: `Deployment/${backupRepository.namespace}/${backupRepository.name}#hostPath:${backups.guestDirectory}`,
        reason: `the app backups' restic repositories, on shared directory ${backups.sharedDirectory} (${backups.hostDirectory} on the host)`,
        declaredAt: "platform.volsync.sharedDirectory",
      },
    ];
  if (cluster.platform.volsync.enabled) return [];
  return cluster.apps
    .filter((app) => app.enabled)
    .map((app) => ({
      rule: "backup",
      object: `PersistentVolumeClaim/${app.namespace}/${appVolumeClaim(app.name)}`,
      reason: "app backups are off: this volume is neither backed up nor restored on a rebuild",
      declaredAt: "platform.volsync.enabled",
    }));
}
