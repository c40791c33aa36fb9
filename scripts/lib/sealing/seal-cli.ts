// `npm run seal -- <owner>[,<owner>…] <NAME>`: encrypts one secret value, read from stdin, with
// the lab's sealing certificate (cluster/sealing-cert.pem) for every Secret of those owners that
// takes NAME, and stores the ciphertext in cluster/sealed/<owner>.yaml, where synth reads it. An
// owner is an app (NAME from its secretEnv), a platform component (its declared names) or a VPN
// region vpn-<region> (any gluetun variable). `--list` shows what the lab seals and what is missing.
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { loadSpec } from "../../../cluster/load";
import { sealedLabel, type SealedEntry } from "../../../charts/sealed/store";
import { sealedTargets, type SealedTarget } from "../../../charts/sealed/targets";
import { defaultSpec, exitCodes, parseCommand, pathOption, reportFailure, type Command } from "../cli";
import { Refusal } from "../command-errors";
import { UsageError } from "../usage-error";
import { isExpired, isSealedFor, readSealingCertificate, renewal, type SealingCertificate } from "./certificate";
import { sealValue } from "./hybrid-encrypt";
import { readValue } from "./read-value";
import { readSealedStore, sealedFileOf, sealingPaths, writeSealedFile } from "./sealed-files";

/** Where the command reads the value and writes what it did (process.stdin/stdout/stderr in a run). */
export interface SealStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
}

const command: Command = {
  name: "seal",
  help: `usage: npm run seal -- <owner>[,<owner>…] <NAME> [--keep-newline] [--cluster <spec>]
       npm run seal -- --list [--cluster <spec>]

Reads one secret value from stdin (typed without echo on a terminal, or piped:
printf %s "$VALUE" | npm run seal -- sonarr SONARR__AUTH__APIKEY), encrypts it with the lab's
sealing certificate for each Secret of the owner that takes NAME (strict scope: only that
namespace and name decrypt it), and writes it to cluster/sealed/<owner>.yaml. Then run
npm run synth, commit and publish: the sealed-secrets controller updates the Secret.

  <owner>           an app (NAME from its secretEnv), a platform component (cert-manager,
                    external-dns, victoria-metrics…: their declared NAMEs) or a VPN region
                    vpn-<region> (any gluetun variable); several, comma-separated, get the
                    same value (cert-manager,external-dns CLOUDFLARE_API_TOKEN)
  --keep-newline    keep a trailing newline of piped input (dropped by default: echo adds it)
  --cluster <spec>  the spec (default: cluster/homelab.yaml); the certificate and sealed/ are
                    beside it
  --list            what this lab seals, and what is not sealed yet
  --help, -h        this text`,
  options: {
    cluster: { type: "string" },
    "keep-newline": { type: "boolean", default: false },
    list: { type: "boolean", default: false },
  },
  positionals: true,
};

/** The command: its exit code, every failure reported on stderr. `root`: the repository (defaults resolve there). */
export async function sealCli(argv: string[], root: string, streams: SealStreams): Promise<number> {
  try {
    return await seal(argv, root, streams);
  } catch (error) {
    return reportFailure("seal", error, streams.stderr);
  }
}

async function seal(argv: string[], root: string, streams: SealStreams): Promise<number> {
  const input = parseCommand(command, argv, streams.stdout);
  if (!input) return exitCodes.ok;
  const { values, operands: positionals } = input;
  const specFile = pathOption(command, values.cluster, defaultSpec, root);
  if (values.list) {
    if (positionals.length) throw new UsageError("--list takes no <owner> or <NAME>");
    streams.stdout.write(listing(specFile));
    return exitCodes.ok;
  }
  if (positionals.length !== 2) throw new UsageError("expected <owner> <NAME>; see npm run seal -- --help");
  const [ownerList, name] = positionals;
  const { cluster } = loadSpec(specFile);
  const targets = targetsFor(sealedTargets(cluster), ownerList.split(","), name);

  const paths = sealingPaths(specFile);
  const shown = (path: string) => relative(process.cwd(), path) || path;
  if (!existsSync(paths.certificate))
    throw new Refusal(
      `${shown(paths.certificate)} does not exist: apply the lab's stack first, then \`terraform output -raw sealing_certificate > ${shown(paths.certificate)}\` and commit it (README, "Apply the Proxmox side")`,
    );
  const certificate = readSealingCertificate(paths.certificate, shown(paths.certificate));
  if ("problem" in certificate) throw new Refusal(certificate.problem);
  if (isExpired(certificate))
    throw new Refusal(`${shown(paths.certificate)} expired on ${certificate.notAfter.toISOString().slice(0, 10)}; ${renewal(shown(paths.certificate))}`);

  const owners = [...new Set(targets.map((t) => t.owner))];
  const value = await readValue(streams.stdin, streams.stderr, { keepNewline: values["keep-newline"] === true, label: `${name} for ${owners.join(", ")}` });
  // Read (and so checked) before anything is written.
  const store = readSealedStore(paths.sealed, shown(paths.sealed));
  for (const owner of owners) {
    const file = new Map(
      [...(store.get(owner) ?? new Map<string, ReadonlyMap<string, SealedEntry>>())].map(([label, entries]) => [label, recordKeys(entries, certificate)]),
    );
    for (const target of targets.filter((t) => t.owner === owner)) {
      const label = sealedLabel(target.namespace, target.secretName);
      const entries = file.get(label) ?? new Map<string, SealedEntry>();
      entries.set(name, { publicKey: certificate.keyFingerprint, encrypted: sealValue(certificate.publicKey, value, target.namespace, target.secretName) });
      file.set(label, entries);
    }
    writeSealedFile(paths.sealed, owner, file);
  }
  const where = targets.map((t) => sealedLabel(t.namespace, t.secretName)).join(", ");
  const files = owners.map((o) => shown(sealedFileOf(paths.sealed, o))).join(", ");
  streams.stdout.write(`seal: ${name} sealed for ${where} in ${files}; now npm run synth, commit and publish\n`);
  return exitCodes.ok;
}

/** The entries of a file seal rewrites, those of the first release sealed with this very certificate recorded by its key. */
function recordKeys(entries: ReadonlyMap<string, SealedEntry>, certificate: SealingCertificate): Map<string, SealedEntry> {
  return new Map(
    [...entries].map(([name, e]) => [
      name,
      "certificate" in e && isSealedFor(e, certificate) ? { publicKey: certificate.keyFingerprint, encrypted: e.encrypted } : e,
    ]),
  );
}

/** The targets of these owners that take NAME; a usage error naming what exists otherwise. */
function targetsFor(all: readonly SealedTarget[], owners: readonly string[], name: string): SealedTarget[] {
  const found: SealedTarget[] = [];
  for (const owner of owners) {
    const mine = all.filter((t) => t.owner === owner);
    if (!mine.length)
      throw new UsageError(
        `${owner} has no sealed Secrets in this lab; owners: ${ownerSummary(all) || "none (no app declares secretEnv, no component needs one)"}`,
      );
    const taking = mine.filter((t) => (t.values ? t.values.some((v) => v.name === name) : /^[A-Z_][A-Z0-9_]*$/.test(name)));
    if (!taking.length) {
      const declared = [...new Set(mine.flatMap((t) => (t.values ?? []).map((v) => v.name)))];
      const fix = mine.some((t) => t.declaredAt[0] === "apps") ? `; to add it, list it in the app's secretEnv first` : "";
      throw new UsageError(
        declared.length
          ? `${owner} takes ${declared.join(", ")}, not ${name}${fix}`
          : `${name} is no environment variable name (such as WIREGUARD_PRIVATE_KEY), which gluetun's settings are`,
      );
    }
    found.push(...taking);
  }
  return found;
}

/** "sonarr (SONARR__AUTH__APIKEY), vpn-general (any gluetun variable)" */
function ownerSummary(all: readonly SealedTarget[]): string {
  const owners = [...new Set(all.map((t) => t.owner))];
  return owners
    .map((owner) => {
      const names = [...new Set(all.filter((t) => t.owner === owner).flatMap((t) => (t.values ? t.values.map((v) => v.name) : ["any gluetun variable"])))];
      return `${owner} (${names.join(", ")})`;
    })
    .join(", ");
}

/** One line per Secret and name: sealed (for the certificate's key or another) or not yet. */
function listing(specFile: string): string {
  const { cluster } = loadSpec(specFile);
  const paths = sealingPaths(specFile);
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const store = readSealedStore(paths.sealed, shown(paths.sealed));
  const certificate = existsSync(paths.certificate) ? readSealingCertificate(paths.certificate, shown(paths.certificate)) : undefined;
  const current = certificate && !("problem" in certificate) ? certificate : undefined;
  const lines = [
    current
      ? `certificate: ${shown(paths.certificate)} (SHA-256 ${current.fingerprint}; public key SHA-256 ${current.keyFingerprint})`
      : `certificate: none usable at ${shown(paths.certificate)} (README, "Apply the Proxmox side")`,
  ];
  for (const target of sealedTargets(cluster)) {
    const label = sealedLabel(target.namespace, target.secretName);
    const stored = store.get(target.owner)?.get(label);
    const names = target.values ? target.values.map((v) => v.name) : [...(stored?.keys() ?? [])];
    if (!names.length) lines.push(`${target.owner} ${label}: nothing sealed yet (any gluetun variable)`);
    for (const name of names) {
      const entry = stored?.get(name);
      const state = !entry ? "NOT SEALED" : current && !isSealedFor(entry, current) ? "sealed with another key: seal it again" : "sealed";
      // The Secret's key where it is not NAME: where a running cluster holds the value (docs/secrets.md).
      const key = target.values?.find((v) => v.name === name)?.key ?? name;
      lines.push(`${target.owner} ${label} ${name}${key === name ? "" : ` (Secret key ${key})`}: ${state}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
