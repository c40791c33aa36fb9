// The hand-written half of rule "secret": literal values that look secret by the key they sit
// under (cluster/secret-looking.ts), credentials inside URLs, and Proxmox API tokens (a format
// secretlint does not know). YAML and JSON files are parsed, so an env entry's `name:` and
// `value:` are judged together and every finding names its object and key path; multi-line
// strings inside them (user-data in the Terraform JSON, Helm values, files cloud-init writes)
// are parsed in turn. Other text is read line by line. No finding contains the value.
import { credentialsInUrl, isStandIn, linePair, looksRandom, proxmoxApiToken, secretByKey, secretInBase64 } from "../../../cluster/secret-looking";
import { looksSealed } from "../sealing/ciphertext-shape";
import { readYamlDocuments } from "../read-yaml";
import { objectId } from "../validate/object-id";
import type { KubernetesObject } from "../validate/kubernetes-schemas";
import type { Finding } from "./findings";

const fix = "remove the value from the spec: declare the name in the app's secretEnv and seal the value with npm run seal (docs/secrets.md)";
const urlFix = "remove the credentials from the URL; pass them as a sensitive Terraform variable or environment variable (docs/secrets.md)";
/** "key value" in prose; counts only for random-looking values. */
const prosePair = /(?:^|\s)([A-Za-z_][A-Za-z0-9_.-]*)\s+([A-Za-z0-9+/=_.~-]{16,})(?=\s|$)/g;
const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
/** How deep strings inside strings are parsed (user-data → a file it writes → Helm values). */
const maxEmbedding = 4;

type Report = (object: string, message: string, fixText?: string) => void;

/** `parsed`: the file's documents when the caller has read them already. */
export function scanSecretContext(file: string, text: string, parsed?: readonly unknown[]): Finding[] {
  const findings: Finding[] = [];
  const report: Report = (object, message, fixText = fix) => findings.push({ file, object, rule: "secret", message, fix: fixText });
  text.split("\n").forEach((line, i) => {
    if (proxmoxApiToken.test(line))
      report(
        `line ${i + 1}`,
        "looks like a Proxmox API token (user@realm!id=uuid)",
        "pass it as the sensitive Terraform variable proxmox_api_token (TF_VAR_proxmox_api_token)",
      );
  });
  const documents = parsed ?? (/\.(ya?ml|json)$/.test(file) ? parseDocuments(text) : undefined);
  if (documents) documents.forEach((doc, i) => walk(doc, documentName(doc, i, documents.length), "", 0, report));
  else scanLines(text, "", report);
  return findings;
}

function parseDocuments(text: string): unknown[] | undefined {
  try {
    const docs = readYamlDocuments(text);
    return docs.every((d) => typeof d === "object") ? docs : undefined;
  } catch {
    return undefined;
  }
}

/** Kind/namespace/name for a Kubernetes object (objectId, as the other rules name it), else the document's position. */
function documentName(doc: unknown, index: number, count: number): string {
  const o = doc as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof o.kind === "string" && typeof o.metadata?.name === "string") return `${objectId(doc as KubernetesObject)}#`;
  return count > 1 ? `document ${index + 1} ` : "";
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** `prefix` names the object; `path` is the key path inside it. */
function walk(node: unknown, prefix: string, path: string, depth: number, report: Report): void {
  if (typeof node === "string") {
    scanString(node, prefix, path, depth, report);
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const pair = envPair(item);
      if (!pair) return walk(item, prefix, `${path}[${i}]`, depth, report);
      judge(pair.name, pair.value, `${prefix}${path}[${pair.name}]`, report);
      scanString(pair.value, prefix, `${path}[${pair.name}]`, depth, report);
    });
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string") judge(key, value, `${prefix}${join(path, key)}`, report);
      walk(value, prefix, join(path, key), depth, report);
    }
  }
}

/** An env entry (or any name/value pair): the name is the key that gives the value its meaning. */
function envPair(item: unknown): { name: string; value: string } | undefined {
  const o = item as { name?: unknown; value?: unknown };
  return item && typeof item === "object" && typeof o.name === "string" && typeof o.value === "string" ? { name: o.name, value: o.value } : undefined;
}

function judge(key: string, value: string, object: string, report: Report): void {
  // A sealed value (a SealedSecret's encryptedData) is ciphertext only the cluster can open.
  if (looksSealed(value)) return;
  const look = secretByKey(key, value) ?? secretInBase64(value);
  if (look) report(object, `${keyName(key)} holds ${look}`);
}

/** The last part of a key path, which is the key a reader searches for. */
const keyName = (key: string) => key.split(/[.>]/).at(-1)!.trim();

/** URLs with credentials anywhere in a string; multi-line strings are parsed as YAML or read by line. */
function scanString(value: string, prefix: string, path: string, depth: number, report: Report): void {
  if (!value.includes("\n")) {
    urlCredentials(value, `${prefix}${path}`, keyName(path), report);
    // key=value pairs inside one value (`--password=…` among arguments); a description stands in for none.
    if (isStandIn(value)) return;
    for (const [, key, doubleQuoted, singleQuoted, bare] of value.matchAll(linePair)) {
      const look = secretByKey(key, doubleQuoted ?? singleQuoted ?? bare);
      if (look && key !== keyName(path)) return report(`${prefix}${path}`, `${key} holds ${look}`);
    }
    return;
  }
  if (depth >= maxEmbedding) return;
  const inner = parseDocuments(value);
  if (inner) inner.forEach((doc, i) => walk(doc, `${prefix}${path} > ${inner.length > 1 ? `document ${i + 1} > ` : ""}`, "", depth + 1, report));
  else scanLines(value, `${prefix}${path} > `, report);
}

function scanLines(text: string, prefix: string, report: Report): void {
  text.split("\n").forEach((line, i) => {
    const object = `${prefix}line ${i + 1}`;
    urlCredentials(line, object, "a URL", report);
    for (const [, key, doubleQuoted, singleQuoted, bare] of line.matchAll(linePair)) {
      const value = doubleQuoted ?? singleQuoted ?? bare;
      const look = secretByKey(key, value) ?? secretInBase64(value);
      if (look) report(object, `${key} holds ${look}`);
    }
    for (const [, key, value] of line.matchAll(prosePair)) {
      const look = looksRandom(value) ? secretByKey(key, value) : undefined;
      if (look) report(object, `${key} holds ${look}`);
    }
  });
}

/** Every URL in the text that carries credentials, reported as held by `holder`. */
function urlCredentials(text: string, object: string, holder: string, report: Report): void {
  for (const url of text.match(urlPattern) ?? []) {
    const look = credentialsInUrl(url);
    if (look) report(object, `${holder} holds ${look}`, urlFix);
  }
}
