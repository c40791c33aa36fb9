// The files of sealed values beside the spec: cluster/sealed/<owner>.yaml, one per app, platform
// component or VPN region, written by `npm run seal` and read by synth. Each maps a target Secret
// (its strict-scope label namespace/name) to its NAMEs, each with the ciphertext and the public
// key it was sealed with (entries of the first release name the certificate instead). Reviewable
// in a diff, and only ciphertext: the file is committed and published as it is.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SpecError, type Problem } from "../../../cluster/problems";
import { withLines } from "../../../cluster/spec-lines";
import type { SealedEntry, SealedFile, SealedStore } from "../../../charts/sealed/store";
import { yamlText } from "../../../lib/yaml-text";
import { readYaml } from "../read-yaml";
import { looksSealed } from "./ciphertext-shape";

/** Where a spec's sealing files are: beside it. */
export function sealingPaths(specFile: string): { readonly certificate: string; readonly sealed: string } {
  return { certificate: join(dirname(specFile), "sealing-cert.pem"), sealed: join(dirname(specFile), "sealed") };
}

export const sealedFileOf = (sealedDir: string, owner: string) => join(sealedDir, `${owner}.yaml`);

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
/** A Secret's data key (Kubernetes: [-._a-zA-Z0-9]+). */
const secretKey = /^[-._a-zA-Z0-9]{1,253}$/;

/** Every owner's file; a malformed one is a SpecError naming the file, the path and the fix. */
export function readSealedStore(sealedDir: string, shownDir: string): SealedStore {
  if (!existsSync(sealedDir)) return new Map();
  const store = new Map<string, SealedFile>();
  for (const name of readdirSync(sealedDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const owner = basename(name, ".yaml");
    store.set(owner, parseSealedFile(readFileSync(join(sealedDir, name), "utf8"), `${shownDir}/${name}`));
  }
  return store;
}

export function parseSealedFile(text: string, shown: string): SealedFile {
  const fix = "restore it from git, or delete the entry and seal the value again with npm run seal";
  let data: unknown;
  try {
    data = readYaml(text);
  } catch {
    throw new SpecError(shown, [{ path: [], message: "is not valid YAML", fix }]);
  }
  const problems: Problem[] = [];
  const file = new Map<string, Map<string, SealedEntry>>();
  if (data === null || data === undefined) return file;
  if (typeof data !== "object" || Array.isArray(data))
    throw new SpecError(shown, [{ path: [], message: "is not a mapping of namespace/name to sealed values", fix }]);
  for (const [target, values] of Object.entries(data as Record<string, unknown>)) {
    if (!label.test(target)) problems.push({ path: [target], message: "is not a Secret's namespace/name", fix });
    if (!values || typeof values !== "object" || Array.isArray(values)) {
      problems.push({ path: [target], message: "must map each NAME to its sealed value", fix });
      continue;
    }
    const entries = new Map<string, SealedEntry>();
    for (const [name, entry] of Object.entries(values as Record<string, unknown>)) {
      const e = entry as Partial<Record<string, unknown>> | null;
      const sealedFor = e && (["publicKey", "certificate"] as const).find((k) => typeof e[k] === "string");
      if (!secretKey.test(name)) problems.push({ path: [target, name], message: "is not a valid Secret key", fix });
      else if (!e || !sealedFor || typeof e.encrypted !== "string" || Object.keys(e).length !== 2)
        problems.push({ path: [target, name], message: "must hold exactly publicKey and encrypted", fix });
      else if (!looksSealed(e.encrypted)) problems.push({ path: [target, name, "encrypted"], message: "is not a value npm run seal wrote", fix });
      else
        entries.set(
          name,
          sealedFor === "publicKey"
            ? { publicKey: e.publicKey as string, encrypted: e.encrypted }
            : { certificate: e.certificate as string, encrypted: e.encrypted },
        );
    }
    file.set(target, entries);
  }
  if (problems.length) throw new SpecError(shown, withLines(text, problems));
  return file;
}

/** The file's text: a header that says what it is, then the targets and names in code-unit order. */
export function sealedFileText(owner: string, file: SealedFile): string {
  const sorted = <T>(m: ReadonlyMap<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = Object.fromEntries(
    sorted(file).map(([target, entries]) => [
      target,
      Object.fromEntries(
        sorted(entries).map(([name, e]) => [
          name,
          "publicKey" in e ? { publicKey: e.publicKey, encrypted: e.encrypted } : { certificate: e.certificate, encrypted: e.encrypted },
        ]),
      ),
    ]),
  );
  return [
    `# Sealed values of ${owner}, written by npm run seal (docs/secrets.md). Each is encrypted for one`,
    "# Secret (namespace/name) with the public key of the given SHA-256 fingerprint; only the lab's",
    "# sealed-secrets controller can decrypt it. Seal a value again: npm run seal -- " + owner + " <NAME>",
    yamlText(data),
  ].join("\n");
}

/** Writes an owner's file by rename, so a reader never sees half of it. */
export function writeSealedFile(sealedDir: string, owner: string, file: SealedFile): string {
  mkdirSync(sealedDir, { recursive: true });
  const path = sealedFileOf(sealedDir, owner);
  writeFileSync(`${path}.tmp`, sealedFileText(owner, file));
  renameSync(`${path}.tmp`, path);
  return path;
}
