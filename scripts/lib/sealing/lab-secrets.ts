// What the sealed values of a spec come to at synth: every target (charts/sealed/targets.ts)
// against the files beside the spec. An app's secretEnv name without a value is a spec error
// naming the command that seals it; the platform's and gluetun's are placeholders, as before the
// first apply, which synth warns about and `check --strict` fails on, like a missing certificate,
// an expired one, or a value sealed with another key than cluster/sealing-cert.pem's.
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { SpecError, type Problem } from "../../../cluster/problems";
import type { Cluster } from "../../../cluster/schema";
import { sealedSecretsName } from "../../../charts/platform";
import { sealedLabel, type SealedStore } from "../../../charts/sealed/store";
import { sealCommand, sealedTargets, type SealedTarget } from "../../../charts/sealed/targets";
import { isExpired, isSealedFor, readSealingCertificate, renewal, type SealingCertificate } from "./certificate";
import { readSealedStore, sealingPaths } from "./sealed-files";

export interface LabSecrets {
  readonly store: SealedStore;
  /** Still to do before the lab is real: synth warns, `check --strict` fails. */
  readonly pending: readonly string[];
  /** Worth knowing, never failing: sealed values nothing renders. */
  readonly notes: readonly string[];
}

/** The sealed values of the spec at specFile; `problemsAt` makes the SpecError for an app's missing value, with the spec's lines. */
export function labSecrets(cluster: Cluster, specFile: string, problemsAt: (problems: Problem[]) => SpecError): LabSecrets {
  const paths = sealingPaths(specFile);
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const store = readSealedStore(paths.sealed, shown(paths.sealed));
  const targets = sealedTargets(cluster);
  const fileOf = (owner: string) => `${shown(paths.sealed)}/${owner}.yaml`;
  const errors: Problem[] = [];
  const pending: string[] = [];
  const notes: string[] = [];

  if (targets.length && !cluster.platform.sealedSecrets.enabled) {
    const owners = [...new Set(targets.map((t) => t.owner))].join(", ");
    errors.push({
      path: ["platform", "sealedSecrets", "enabled"],
      message: `is false, but ${owners} read sealed Secrets that only the ${sealedSecretsName} controller decrypts`,
      fix: "enable it",
    });
  }

  const certificatePath = shown(paths.certificate);
  let certificate: SealingCertificate | undefined;
  if (!targets.length) {
    // Nothing to seal, nothing to warn about.
  } else if (!existsSync(paths.certificate)) {
    pending.push(
      `${certificatePath} does not exist yet: after the first terraform apply of the lab's stack, write it with \`terraform output -raw sealing_certificate > ${certificatePath}\` and commit it (README, "Apply the Proxmox side")`,
    );
  } else {
    const read = readSealingCertificate(paths.certificate, certificatePath);
    if ("problem" in read) throw new SpecError(certificatePath, [{ path: [], message: read.problem.replace(`${certificatePath} `, "") }]);
    certificate = read;
    if (isExpired(certificate))
      pending.push(`${certificatePath} expired on ${certificate.notAfter.toISOString().slice(0, 10)}: npm run seal refuses it; ${renewal(certificatePath)}`);
  }

  const rendered = new Set<string>();
  // A placeholder one command seals for several Secrets (the restic password of every app volume) is one line.
  const unsealed = new Map<string, string[]>();
  for (const target of targets) {
    const label = sealedLabel(target.namespace, target.secretName);
    const stored = store.get(target.owner)?.get(label);
    for (const name of missingNames(target, store)) {
      rendered.add(`${target.owner} ${label} ${name}`);
      const message = `${name} of ${target.owner} (Secret ${label}) is not sealed yet`;
      const command = `${sealCommand(target.owner, name)} with the value on stdin`;
      if (target.missing === "error") errors.push({ path: target.declaredAt, message: `${message} (${fileOf(target.owner)})`, fix: command });
      else {
        const key = `${target.owner}\n${name}`;
        if (!unsealed.has(key)) pending.push(key);
        unsealed.set(key, [...(unsealed.get(key) ?? []), label]);
      }
    }
    if (!target.values && !stored?.size && !missingNames(target, store).length)
      pending.push(
        `${fileOf(target.owner)}: nothing is sealed for Secret ${label} yet (gluetun's settings for the region, e.g. VPN_SERVICE_PROVIDER, VPN_TYPE, WIREGUARD_PRIVATE_KEY); seal each: ${sealCommand(target.owner, "<NAME>")} with the value on stdin`,
      );
    for (const [name, entry] of stored ?? []) {
      const declared = !target.values || target.values.some((v) => v.name === name);
      if (!declared) continue;
      rendered.add(`${target.owner} ${label} ${name}`);
      if (certificate && !isSealedFor(entry, certificate))
        pending.push(
          `${fileOf(target.owner)}: ${name} for ${label} was sealed with another key than ${certificatePath}'s (a rotated key?); seal it again: ${sealCommand(target.owner, name)}`,
        );
    }
  }
  for (const [i, entry] of pending.entries()) {
    const labels = unsealed.get(entry);
    if (!labels) continue;
    const [owner, name] = entry.split("\n");
    const secrets = labels.length === 1 ? `Secret ${labels[0]}` : `${labels.length} Secrets: ${labels.slice(0, 3).join(", ")}${labels.length > 3 ? ", …" : ""}`;
    pending[i] = `${fileOf(owner)}: ${name} of ${owner} (${secrets}) is not sealed yet; seal it: ${sealCommand(owner, name)} with the value on stdin`;
  }
  for (const [owner, file] of store)
    for (const [label, entries] of file)
      for (const name of entries.keys())
        if (!rendered.has(`${owner} ${label} ${name}`))
          notes.push(
            `${fileOf(owner)}: ${label} ${name} is sealed for no Secret of the spec; nothing renders it (delete the entry when it is no longer needed)`,
          );

  if (errors.length) throw problemsAt(errors);
  return { store, pending, notes };
}

/** Names a target needs and its owner's file lacks: declared ones, or (gluetun's) the names sealed for its other namespaces. */
function missingNames(target: SealedTarget, store: SealedStore): string[] {
  const file = store.get(target.owner);
  const stored = file?.get(sealedLabel(target.namespace, target.secretName));
  const wanted = target.values ? target.values.map((v) => v.name) : [...new Set([...(file?.values() ?? [])].flatMap((entries) => [...entries.keys()]))].sort();
  return wanted.filter((name) => !stored?.has(name));
}
