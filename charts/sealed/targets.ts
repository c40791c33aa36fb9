// Every Secret a lab delivers sealed, derived from the spec: one per app with secretEnv, one per
// namespace and VPN region of the VPN apps (gluetun's credentials), one per backed-up app volume
// (its restic repository), and the ones each platform component declares
// (PlatformComponent.sealedSecrets: the Cloudflare token, Grafana's password…).
// Each belongs to an owner, which names its file cluster/sealed/<owner>.yaml and is the first
// argument of `npm run seal`. What is not secret and what the cluster needs before Argo CD runs
// stay in the bootstrap (infra/bootstrap/secrets.ts).
import type { SpecPath } from "../../cluster/problems";
import type { Cluster } from "../../cluster/schema";
import { appSecretName, vpnSecretName } from "../../cluster/contract";
import {
  appBackupsOf,
  appVolumeClaim,
  backupRepository,
  certificateCarry,
  repositoryPassword,
  repositoryPasswordOwner,
  repositorySecretName,
  repositoryUrl,
} from "../../cluster/app-backups";
import { carriesCertificate, platformComponents } from "../platform";
import { certificateRepository } from "../platform/certificate-carry";
import type { SealedValueName } from "../platform/component";

export interface SealedTarget {
  /** An app, a platform component or a VPN region (vpn-<region>): the file cluster/sealed/<owner>.yaml. */
  readonly owner: string;
  readonly namespace: string;
  readonly secretName: string;
  /** The Argo CD application (dist/k8s directory) its SealedSecret is rendered in: the component, the app, or "namespaces" for the VPN Secrets apps share. */
  readonly renderedIn: string;
  /** What may be sealed, NAME → the Secret's key; undefined: any environment variable name (gluetun's settings vary by provider). */
  readonly values?: readonly SealedValueName[];
  /** Keys that are no secret, written in the SealedSecret's template. @default none */
  readonly plain?: Readonly<Record<string, string>>;
  /** A value not sealed yet is a spec error (an app's secretEnv), or a placeholder still to seal (the platform's, before the first apply). */
  readonly missing: "error" | "placeholder";
  /** Where the spec asks for it, for messages. */
  readonly declaredAt: SpecPath;
}

export function sealedTargets(cluster: Cluster): SealedTarget[] {
  const targets: SealedTarget[] = [];
  for (const component of platformComponents(cluster)) {
    for (const secret of component.sealedSecrets ?? [])
      targets.push({
        owner: component.name,
        renderedIn: component.name,
        namespace: component.namespace,
        secretName: secret.name,
        values: secret.values,
        plain: secret.plain,
        missing: "placeholder",
        declaredAt: ["platform"],
      });
  }
  const vpn = new Map<string, SealedTarget>();
  cluster.apps.forEach((app, i) => {
    if (!app.enabled || !app.vpn) return;
    const name = vpnSecretName(app.vpnRegion);
    // In the namespaces application, which every app of the namespace waits for: several apps may share one.
    vpn.set(`${app.namespace}/${name}`, {
      owner: name,
      renderedIn: "namespaces",
      namespace: app.namespace,
      secretName: name,
      missing: "placeholder",
      declaredAt: ["apps", i, "vpn"],
    });
  });
  targets.push(...[...vpn.keys()].sort().map((key) => vpn.get(key)!));
  targets.push(...repositoryTargets(cluster));
  cluster.apps.forEach((app, i) => {
    if (!app.enabled || !app.secretEnv.length) return;
    targets.push({
      owner: app.name,
      renderedIn: app.name,
      namespace: app.namespace,
      secretName: appSecretName(app.name),
      values: [...app.secretEnv].sort().map((name) => ({ name, key: name })),
      missing: "error",
      declaredAt: ["apps", i, "secretEnv"],
    });
  });
  return targets;
}

/**
 * The restic repository of each backed-up app volume, beside the volume (VolSync reads a Secret of
 * the ReplicationSource's namespace, backube/volsync@v0.16.0: internal/controller/mover/restic/mover.go#L313-L322):
 * its URL in plain text, and one password for every repository, sealed once for all of them
 * (`npm run seal -- volsync RESTIC_PASSWORD`).
 */
function repositoryTargets(cluster: Cluster): SealedTarget[] {
  if (!appBackupsOf(cluster)) return [];
  const password = { values: [{ name: repositoryPassword, key: repositoryPassword }], missing: "placeholder" as const, declaredAt: ["platform", "volsync"] };
  // The Gateway's certificate (charts/platform/certificate-carry.ts), in the repository server's
  // namespace and Application, which syncs before the gateway's restore needs it.
  const certificate: SealedTarget[] = carriesCertificate(cluster)
    ? [
        {
          owner: repositoryPasswordOwner,
          renderedIn: backupRepository.namespace,
          namespace: backupRepository.namespace,
          secretName: certificateCarry.secret,
          plain: { RESTIC_REPOSITORY: certificateRepository },
          ...password,
        },
      ]
    : [];
  const volumes = cluster.apps
    .filter((app) => app.enabled)
    .map((app): SealedTarget => {
      const claim = appVolumeClaim(app.name);
      return {
        owner: repositoryPasswordOwner,
        renderedIn: app.name,
        namespace: app.namespace,
        secretName: repositorySecretName(claim),
        values: [{ name: repositoryPassword, key: repositoryPassword }],
        plain: { RESTIC_REPOSITORY: repositoryUrl(app.namespace, claim) },
        missing: "placeholder" as const,
        declaredAt: ["platform", "volsync"],
      };
    });
  return [...volumes, ...certificate];
}

/** The names a target takes: its declared ones, or (gluetun's) whatever its owner's file holds for it. */
export function targetNames(target: SealedTarget, stored: ReadonlyMap<string, unknown> | undefined): string[] {
  return target.values ? target.values.map((v) => v.name) : [...(stored?.keys() ?? [])].sort();
}

/** The command that seals one value of an owner (the value goes to its stdin). */
export function sealCommand(owner: string, name: string): string {
  return `npm run seal -- ${owner} ${name}`;
}
