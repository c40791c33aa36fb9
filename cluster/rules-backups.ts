// Rules for the app backups (platform.volsync): while apps have volumes, VolSync needs a place for
// their repositories that outlives the VMs (a shared directory of the host), the CSI snapshots it
// copies through, and Longhorn, whose snapshot class it uses. A lab that wants no app backups says
// so with enabled: false.
import type { Cluster } from "./schema";
import type { Report } from "./rule-kit";

export function checkAppBackups(spec: Cluster, report: Report) {
  const { volsync, snapshotController, longhorn } = spec.platform;
  if (!volsync.enabled) return;
  const names = spec.sharedDirectories.map((d) => d.name);
  const choose = names.length
    ? `name one of sharedDirectories (${names.join(", ")})`
    : "add a sharedDirectories entry on the host's bulk storage and name it here";
  if (volsync.sharedDirectory && !names.includes(volsync.sharedDirectory))
    report(["platform", "volsync", "sharedDirectory"], `'${volsync.sharedDirectory}' is not a shared directory of this lab`, choose);
  if (!spec.apps.some((a) => a.enabled)) return;
  if (!volsync.sharedDirectory)
    report(
      ["platform", "volsync", "sharedDirectory"],
      "is missing: the apps' volumes need a backup location outside the VMs",
      `${choose}, or set platform.volsync.enabled: false to run the apps without backups`,
    );
  if (!snapshotController.enabled)
    report(
      ["platform", "snapshotController", "enabled"],
      "is false, but VolSync backs up and restores the apps' volumes through CSI snapshots",
      "enable it, or set platform.volsync.enabled: false",
    );
  if (!longhorn.enabled)
    report(
      ["platform", "longhorn", "enabled"],
      "is false, but the apps' volumes and VolSync's snapshot class are Longhorn's",
      "enable it, or set platform.volsync.enabled: false",
    );
}
