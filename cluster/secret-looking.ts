// Our own secret rules, shared by the spec (rules) and `npm run check` (the output): a value is
// secret-looking by the key it sits under (password, token, secret, key, credential… as a whole
// word, the last one of the key) plus its shape (entropy, hex length), or by carrying a user
// name or password inside a URL. Known token formats (GitHub, Slack, cloud keys, private keys…)
// are secretlint's job in `npm run check`; this module never returns or prints the value.

/** Keys whose value is a password whatever it looks like. */
const passwordWords = new Set(["password", "passwd", "pass", "pwd", "passphrase"]);
/** Keys whose value is a credential when it also looks random (a "key" is often a label key). */
const credentialWords = new Set(["secret", "token", "key", "apikey", "apitoken", "credential", "credentials", "auth", "privatekey", "accesskey", "secretkey"]);
/** Keys that name digests and revisions: long hex there is a checksum or a commit, not a secret. */
const digestWords = new Set(["checksum", "digest", "hash", "sha", "sha1", "sha256", "sha512", "commit", "revision", "fingerprint"]);

/** Why a value looks secret, as a phrase after "holds…"; undefined when it does not. */
export type SecretLook = string | undefined;

/** The words of a key: apiKey, API_KEY, x-api-key and api.key all give [api, key]. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
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

/** References, placeholders and descriptions that stand in for a value we never see. */
function isStandIn(value: string): boolean {
  return (
    value === "" ||
    value === "replace-me" || // what synth writes into terraform.tfvars.example for every string variable
    value.includes("${") || // Terraform interpolation
    value.includes("{{") || // Helm/Go templates
    /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(value) || // $(VAR) / $VAR expansion
    /^@@[A-Z0-9_]+@@$/.test(value) || // bootstrap placeholders (infra/bootstrap/secrets.ts)
    /^<[^<>]*>$/.test(value) || // "<… set by terraform apply>"
    /^(true|false|null|yes|no|on|off)$/i.test(value)
  );
}

/** Public keys, digests and checksums: long and random, and meant to be published. */
function isPublicMaterial(value: string): boolean {
  return (
    /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/.test(value) ||
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
  const value = raw.trim();
  if (isStandIn(value) || isPublicMaterial(value)) return undefined;
  const words = keyWords(key);
  const last = words.at(-1) ?? "";
  if (words.some((w) => digestWords.has(w))) return undefined;
  if (passwordWords.has(last) && !value.startsWith("/")) return "a literal password";
  if (last === "key" && qualifiedLabelKey.test(value)) return undefined;
  if ((credentialWords.has(last) || words.join("").endsWith("apikey")) && looksRandom(value)) return "a literal credential (random-looking value)";
  return undefined;
}

/** A user name or password inside a URL (https://user:pw@host, https://token@host). */
export function credentialsInUrl(value: string): SecretLook {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)@/i.exec(value.trim());
  if (!match) return undefined;
  const [, scheme, userinfo] = match;
  if (isStandIn(userinfo)) return undefined;
  // ssh://git@host is a login name, not a credential; a password or any user on http(s) is one.
  if (!userinfo.includes(":") && /^(ssh|git\+ssh)$/i.test(scheme)) return undefined;
  return userinfo.includes(":") ? "a user name and password inside a URL" : "a user name or token inside a URL";
}

/** Either of the above; for values whose key is known. */
export function secretLooking(key: string, value: string): SecretLook {
  return credentialsInUrl(value) ?? secretByKey(key, value);
}
