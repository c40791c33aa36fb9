// Rule "backup": every app volume (a claim of an Application of project "apps") has a scheduled
// backup and a restore path, or a rebuilt cluster gives the app an empty one. Backup: a VolSync
// ReplicationSource of the claim with trigger.schedule and restic.retain (without retain VolSync
// keeps the last backup only, backube/volsync@v0.16.0: internal/controller/mover/restic/mover.go#L676-L710).
// Restore path: the claim's dataSourceRef names a ReplicationDestination of its namespace (the
// populator reads no other, internal/controller/volumepopulator_controller.go#L656-L682), created
// in the claim's wave or before (Argo CD waits for the claim, which waits for the restore), that
// restores from a snapshot (#L353-L361) into a volume of the claim's size (Longhorn restores a
// snapshot only into one as large, longhorn/longhorn-manager@v1.7.2: manager/volume.go#L1099-L1117),
// from the repository the backups write.
//
// Rule "sync-order", for the repository server the movers' Secret points at, by the app's wave.
// (Their VolumeSnapshotClass and Secret are object references, object-references.ts; VolSync's
// controller needs the VolumeSnapshot CRD when it starts, a start requirement of its chart facts.)
import type { Finding } from "../../findings";
import { notInTime, type Context } from "../context";
import { objectId, waveOf } from "../../../validate/kubernetes-objects";
import { quantity } from "../allocatable";
import type { K8sObject, Unit } from "../model";
import type { Provided } from "../provided";

const group = "volsync.backube";

interface Placed {
  readonly object: K8sObject;
  readonly unit: Unit;
}

export function checkAppBackups({ world, provided }: Context): Finding[] {
  const all: Placed[] = world.units.flatMap((unit) => unit.objects.map((object) => ({ object, unit })));
  const ofKind = (kind: string) => all.filter((p) => p.object.kind === kind && p.object.apiVersion.startsWith(`${group}/`));
  const sources = ofKind("ReplicationSource");
  const destinations = ofKind("ReplicationDestination");
  const findings: Finding[] = [];
  for (const claim of all.filter((p) => p.object.kind === "PersistentVolumeClaim" && p.unit.application?.project === "apps")) {
    const source = sources.find((s) => sameNamespace(s, claim) && s.object.spec?.sourcePVC === claim.object.metadata.name);
    findings.push(...backupFindings(claim, source));
    const restore = restorePath(claim, destinations);
    findings.push(...restore.findings);
    if (source && restore.destination) findings.push(...repositoryFindings(claim, source, restore.destination));
  }
  findings.push(...sharedRepositories(sources));
  for (const mover of [...sources, ...destinations]) findings.push(...repositoryServer(mover, provided, all));
  return findings;
}

const sameNamespace = (a: Placed, b: Placed) => a.object.metadata.namespace === b.object.metadata.namespace;

function finding(placed: Placed, rule: string, problem: string, fix: string): Finding {
  return { file: placed.unit.file, object: objectId(placed.object), rule, message: `${objectId(placed.object)} (${placed.unit.label}) ${problem}`, fix };
}

const backupFix =
  "back it up with a ReplicationSource of the claim with trigger.schedule and restic.retain (platform.volsync in the spec; charts/apps/volume-backup.ts), or exempt it with a reason";

function backupFindings(claim: Placed, source: Placed | undefined): Finding[] {
  if (!source) return [finding(claim, "backup", "has no scheduled backup: no ReplicationSource backs it up, so losing the VMs loses its data", backupFix)];
  const spec = source.object.spec ?? {};
  const problems: string[] = [];
  if (!spec.trigger?.schedule)
    problems.push(
      `is backed up by ${objectId(source.object)} without a schedule (trigger.schedule), so not daily but ${spec.trigger?.manual ? "only by hand" : "back to back"}`,
    );
  const retain = spec.restic?.retain ?? {};
  if (!["hourly", "daily", "weekly", "monthly", "yearly", "within", "last"].some((k) => retain[k] !== undefined && retain[k] !== 0 && retain[k] !== ""))
    problems.push(`is backed up by ${objectId(source.object)} without restic.retain, so every backup but the last is forgotten`);
  return problems.map((p) => finding(claim, "backup", p, backupFix));
}

const restoreFix =
  "give the claim a dataSourceRef to a ReplicationDestination of its namespace (apiGroup volsync.backube), in its wave or earlier, copyMethod Snapshot, capacity as requested (charts/apps/volume-backup.ts)";

function restorePath(claim: Placed, destinations: readonly Placed[]): { findings: Finding[]; destination?: Placed } {
  const ref = claim.object.spec?.dataSourceRef;
  const fail = (problem: string) => ({
    findings: [finding(claim, "backup", `has no restore path: ${problem}, so a rebuilt cluster creates it empty`, restoreFix)],
  });
  if (!ref || ref.apiGroup !== group || ref.kind !== "ReplicationDestination")
    return fail(ref ? `its dataSourceRef names ${ref.kind} ${ref.name}, not a ReplicationDestination` : "it has no dataSourceRef");
  if (ref.namespace && ref.namespace !== claim.object.metadata.namespace)
    return fail(`its dataSourceRef names namespace ${ref.namespace}, and VolSync fills a claim only from its own namespace`);
  const destination = destinations.find((d) => sameNamespace(d, claim) && d.object.metadata.name === ref.name);
  if (!destination) return fail(`its dataSourceRef names ReplicationDestination ${ref.name}, which this output does not create`);
  const later =
    destination.unit.stage > claim.unit.stage ||
    (destination.unit === claim.unit && waveOf(destination.object) > waveOf(claim.object)) ||
    (destination.unit !== claim.unit && destination.unit.stage === claim.unit.stage);
  const findings: Finding[] = [];
  if (later)
    findings.push(
      finding(
        claim,
        "backup",
        `waits for ${objectId(destination.object)}, which ${destination.unit === claim.unit ? `comes in a later wave of ${claim.unit.label}` : `${destination.unit.label} creates ${destination.unit.stage === claim.unit.stage ? "side by side" : "only later"}`}: Argo CD waits for the claim to be Bound, the claim for the restore, and the restore is never applied`,
        restoreFix,
      ),
    );
  const restic = destination.object.spec?.restic ?? {};
  if (restic.copyMethod !== "Snapshot")
    findings.push(
      finding(
        claim,
        "backup",
        `is restored by ${objectId(destination.object)} with copyMethod ${restic.copyMethod ?? "unset"}, and VolSync fills a claim only from a snapshot`,
        restoreFix,
      ),
    );
  const requested = claim.object.spec?.resources?.requests?.storage;
  if (restic.capacity === undefined || quantity("storage", restic.capacity) !== quantity("storage", requested))
    findings.push(
      finding(
        claim,
        "backup",
        `requests ${requested}, but ${objectId(destination.object)} restores into ${restic.capacity ?? "a volume of no set size"}: Longhorn restores a snapshot only into a volume of its own size`,
        restoreFix,
      ),
    );
  return { findings, destination };
}

function repositoryFindings(claim: Placed, source: Placed, destination: Placed): Finding[] {
  const written = source.object.spec?.restic?.repository;
  const read = destination.object.spec?.restic?.repository;
  if (written === read) return [];
  return [
    finding(
      claim,
      "backup",
      `is backed up to repository Secret ${written} but restored from ${read}: a rebuilt cluster would restore something else`,
      "name the same repository Secret in the claim's ReplicationSource and ReplicationDestination",
    ),
  ];
}

/** VolSync supports one volume per repository (docs/usage/restic/index.rst#L161-L165): its forget and restore take every backup of host "volsync". */
function sharedRepositories(sources: readonly Placed[]): Finding[] {
  const key = (s: Placed) => `${s.object.metadata.namespace}/${s.object.spec?.restic?.repository}`;
  return sources.flatMap((s, i) => {
    const first = sources.findIndex((o) => key(o) === key(s));
    if (first === i) return [];
    return [
      finding(
        s,
        "backup",
        `backs up ${s.object.spec?.sourcePVC} into repository Secret ${s.object.spec?.restic?.repository}, as ${objectId(sources[first].object)} does: restic's forget and VolSync's restore would mix the two volumes`,
        "give every volume its own repository Secret and RESTIC_REPOSITORY",
      ),
    ];
  });
}

/** The server the repository Secret points at, by the mover's wave (its class and Secret: object-references.ts). */
function repositoryServer(mover: Placed, provided: Provided, all: readonly Placed[]): Finding[] {
  const repository = mover.object.spec?.restic?.repository;
  const server = repository ? repositoryService(all, mover.object.metadata.namespace, repository) : undefined;
  if (!server) return [];
  const problem = notInTime(provided.object("Service", server.namespace, server.name), mover.unit, `Service ${server.namespace}/${server.name}`);
  return problem
    ? [
        finding(
          mover,
          "sync-order",
          `needs ${problem}: its repository ${server.url} is not reachable and every run fails`,
          "serve the repositories in the same or an earlier wave (the backup-repository component)",
        ),
      ]
    : [];
}

/** The in-cluster Service a repository Secret's RESTIC_REPOSITORY (plain, or in a SealedSecret's template) points at. */
function repositoryService(
  all: readonly Placed[],
  namespace: string | undefined,
  secret: string,
): { namespace: string; name: string; url: string } | undefined {
  const found = all.find(
    (p) => (p.object.kind === "Secret" || p.object.kind === "SealedSecret") && p.object.metadata.namespace === namespace && p.object.metadata.name === secret,
  )?.object;
  const url: unknown =
    found?.kind === "SealedSecret"
      ? found.spec?.template?.data?.RESTIC_REPOSITORY
      : (found?.stringData?.RESTIC_REPOSITORY ?? (found?.data?.RESTIC_REPOSITORY && Buffer.from(found.data.RESTIC_REPOSITORY, "base64").toString()));
  const match = typeof url === "string" ? /^rest:https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.[a-z.]+)?(:\d+)?\//.exec(url) : null;
  return match ? { name: match[1], namespace: match[2], url: url as string } : undefined;
}
