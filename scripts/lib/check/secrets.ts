// Rule "secret": nothing in the output may look like a credential. Known token formats are
// secretlint's (secret-formats.ts); what is ours — values judged by the key they sit under,
// credentials inside URLs, Proxmox API tokens — is secret-context.ts. Allowed: public SSH keys,
// checksums, commit ids, image digests, Terraform references (${…}) and our placeholders.
import type { Finding } from "./findings";
import { scanSecretContext } from "./secret-context";
import { scanKnownFormats } from "./secret-formats";

/** `parsed`: the file's YAML documents when the caller has read them already. */
export function scanForSecrets(file: string, text: string, parsed?: readonly unknown[]): Finding[] {
  const known = scanKnownFormats(file, text);
  // One finding per place: where secretlint named the format, our key rule adds nothing.
  const named = new Set(known.map((f) => f.object));
  return [...known, ...scanSecretContext(file, text, parsed).filter((f) => !named.has(f.object))];
}
