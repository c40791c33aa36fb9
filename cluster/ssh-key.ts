// Checks that a string is an OpenSSH *public* key line: "<type> <base64 blob> [comment]".

const keyTypes = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** Returns a problem description, or undefined when the key is a valid public key. */
export function publicKeyProblem(line: string): string | undefined {
  if (/PRIVATE KEY/.test(line)) return "is a PRIVATE key; only public keys (.pub files) belong in the spec";
  if (/[\r\n]/.test(line)) return "must be a single line";
  const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([ -~]*))?$/.exec(line);
  if (!match) return "must look like 'ssh-ed25519 AAAA… comment' (the content of a .pub file)";
  const [, type, blob] = match;
  if (!keyTypes.has(type)) return `has unknown key type '${type}'`;
  const decoded = Buffer.from(blob, "base64");
  const nameLength = decoded.length >= 4 ? decoded.readUInt32BE(0) : -1;
  const embedded = nameLength > 0 ? decoded.subarray(4, 4 + nameLength).toString("latin1") : "";
  if (embedded !== type) return `is corrupt: the key data does not encode a '${type}' key`;
  return undefined;
}
