// Our own secret rules, shared by the spec (rules) and `npm run check` (the output): a value is
// secret-looking by the key it sits under (password, token, secret, key, credential… as a word
// ending the key, suffixed — DB_PASSWORD2 — or abbreviated — ADMIN_PW) plus its shape (entropy, hex
// length), by carrying a user name, password or token inside a URL (also as a query parameter),
// or by decoding from base64 to any of these. Known token formats (GitHub, Slack, cloud keys,
// private keys…) are known-secret-formats.ts's job; this module never returns or prints the value.
import { knownSecrets } from "./known-secret-formats";

/** Keys whose value is a password whatever it looks like. */
const passwordWords = new Set(["password", "passwd", "pass", "pwd", "pw", "pword", "pswd", "passphrase"]);
/** Keys whose value is a credential when it also looks random (a "key" is often a label key). */
const credentialWords = new Set([
  "secret",
  "token",
  "key",
  "apikey",
  "apitoken",
  "credential",
  "auth",
  "privatekey",
  "accesskey",
  "secretkey",
  "jwt",
  "bearer",
  "cookie",
  "salt",
]);
/** Words that only say how a value is stored: SECRET_KEY_BASE, TOKEN_VALUE and PASSWORD_B64 are judged by the word before. */
const formWords = new Set(["base", "value", "data", "string", "str", "text", "raw", "b64", "base64", "hex", "literal", "plain"]);
/** Keys that name digests and revisions: long hex there is a checksum or a commit, not a secret. */
const digestWords = new Set(["checksum", "digest", "hash", "sha", "sha1", "sha256", "sha512", "commit", "revision", "fingerprint"]);

/** Why a value looks secret, as a phrase after "holds…"; undefined when it does not. */
export type SecretLook = string | undefined;

/** The words of a key, each without a trailing number or plural s: apiKey, API_KEY2, x-api-keys and api.key all give [api, key]. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.replace(/\d+$/, ""))
    .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word))
    .filter(Boolean);
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * The literal part of a value: references and templates that stand in for a value we never see
 * (Terraform `${…}`, Helm `{{…}}`) are cut out, and what is left is judged. Undefined when
 * nothing literal is left, or the whole value is a stand-in: `$VAR`, a placeholder of ours, a
 * description in angle brackets (with spaces: `<set by terraform apply>`, not `<a1b2c3…>`).
 */
function literalPart(value: string): string | undefined {
  const literal = value
    .replace(/\$\{[^}]*\}/g, "")
    .replace(/\{\{[^}]*\}\}/g, "")
    .trim();
  if (
    literal === "" ||
    literal === "replace-me" || // what synth writes into terraform.tfvars.example for every string variable
    /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(literal) || // $(VAR) / $VAR expansion
    /^<[^<>]*\s[^<>]*>$/.test(literal) || // "<… set by terraform apply>"
    /^(true|false|null|yes|no|on|off)$/i.test(literal)
  )
    return undefined;
  // A value merely wrapped in angle brackets is still that value.
  return /^<([^<>\s]+)>$/.exec(literal)?.[1] ?? literal;
}

/** Whether a whole value only stands in for one (a reference, a placeholder, a description in angle brackets). */
export const isStandIn = (value: string): boolean => literalPart(value) === undefined;

/** Public keys, digests and checksums: long and random, and meant to be published. */
function isPublicMaterial(value: string): boolean {
  return (
    /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA[A-Za-z0-9+/=]+( [^\s]*)?$/.test(value) ||
    /^sha(1|256|384|512):[0-9a-f]+$/.test(value) ||
    /@sha256:[0-9a-f]{64}$/.test(value)
  );
}

/** A qualified label key, prefix/name with a DNS prefix (homelab.dev/k3s-version): what a selector's `key` holds. */
const qualifiedLabelKey = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\/[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Random enough to be a generated credential: 32+ hex digits, or 16+ token characters of high entropy. */
export function looksRandom(value: string): boolean {
  if (/^[0-9a-fA-F]{32,}$/.test(value)) return true;
  return value.length >= 16 && /^[A-Za-z0-9+/=_.~-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 3.5;
}

/** What a literal value under `key` looks like; undefined when it does not look secret. */
export function secretByKey(key: string, raw: string): SecretLook {
  const value = literalPart(raw);
  if (value === undefined || isPublicMaterial(value)) return undefined;
  const words = keyWords(key);
  if (words.some((w) => digestWords.has(w))) return undefined;
  while (words.length > 1 && formWords.has(words.at(-1)!)) words.pop();
  const last = words.at(-1) ?? "";
  if (passwordWords.has(last) && !value.startsWith("/")) return "a literal password";
  if (last === "key" && qualifiedLabelKey.test(value)) return undefined;
  const credential = credentialWords.has(last) || passwordWords.has(last) || words.join("").endsWith("apikey");
  if (credential && looksRandom(value)) return "a literal credential (random-looking value)";
  return undefined;
}

/** A user name, password or token inside a URL (https://user:pw@host, https://token@host, ?access_token=…). */
export function credentialsInUrl(value: string): SecretLook {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*@)?[^?#\s]*(\?[^#\s]*)?/i.exec(value.trim());
  if (!match) return undefined;
  const [, scheme, at, query] = match;
  const userinfo = at?.slice(0, -1);
  // ssh://git@host is a login name, not a credential; a password or any user on http(s) is one.
  const standIn = userinfo !== undefined && (/\$\{|\{\{/.test(userinfo) || literalPart(userinfo) === undefined);
  if (userinfo !== undefined && !standIn && (userinfo.includes(":") || !/^(ssh|git\+ssh)$/i.test(scheme)))
    return userinfo.includes(":") ? "a user name and password inside a URL" : "a user name or token inside a URL";
  for (const pair of query?.slice(1).split("&") ?? []) {
    const [name, ...rest] = pair.split("=");
    const look = secretByKey(safeDecode(name), safeDecode(rest.join("=")));
    if (look) return `${look.replace(/^a literal /, "a ")} in a URL's query (${safeDecode(name).replace(/[^A-Za-z0-9_.-]/g, "")})`;
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * What a base64 value decodes to, when that is text holding a secret: `key=value` or
 * `key: value` pairs judged by their key, URLs with credentials, known formats. Binary (a
 * SealedSecret's ciphertext, a certificate's DER) decodes to no text and passes.
 */
export function secretInBase64(value: string): SecretLook {
  const trimmed = value.trim();
  if (trimmed.length < 12 || trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return undefined;
  const decoded = Buffer.from(trimmed, "base64").toString("latin1");
  // Printable text only (tabs and newlines allowed): anything else is binary.
  if (!/^[\t\n\r\x20-\x7e]+$/.test(decoded)) return undefined;
  const inner = secretInText(decoded);
  return inner && `base64 of ${inner.replace(/^an? /, "a ")}`;
}

/** A Proxmox API token as the provider takes it: user@realm!tokenid=uuid (a format secretlint does not know). */
export const proxmoxApiToken = /[A-Za-z0-9._-]+@[A-Za-z0-9.-]+![A-Za-z0-9._-]+=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** A secret anywhere in a text: known formats, a Proxmox API token, URLs with credentials, key=value and key: value pairs. */
export function secretInText(text: string): SecretLook {
  const known = knownSecrets(text)[0];
  if (known) return `what looks like ${known.messageId} (secretlint rule ${known.rule})`;
  if (proxmoxApiToken.test(text)) return "a Proxmox API token (user@realm!id=uuid)";
  for (const url of text.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi) ?? []) {
    const look = credentialsInUrl(url);
    if (look) return look;
  }
  for (const [, key, doubleQuoted, singleQuoted, bare] of text.matchAll(linePair)) {
    const look = secretByKey(key, doubleQuoted ?? singleQuoted ?? bare);
    if (look) return look;
  }
  return undefined;
}

/** key: value, key=value, "key": "value" in text. */
export const linePair = /(?:^|[\s"'{(,;&?-])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(?:"([^"]*)"|'([^']*)'|([^\s"',;&]+))/g;

/** Any of the above, for a value whose key is known. */
export function secretLooking(key: string, value: string): SecretLook {
  return credentialsInUrl(value) ?? secretByKey(key, value) ?? secretInBase64(value);
}
