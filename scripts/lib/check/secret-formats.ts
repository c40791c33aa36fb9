// The well-kept half of rule "secret": known token formats (GitHub, Slack, npm, OpenAI, private
// keys, basic-auth and database URLs…) come from secretlint's recommended preset, run on every
// output file through cluster/known-secret-formats.ts, the same scan the spec, publish and the
// pre-commit hook run. Findings name the format and the line, never the value.
import { knownSecrets } from "../../../cluster/known-secret-formats";
import type { Finding } from "./findings";

export function scanKnownFormats(file: string, text: string): Finding[] {
  const lineStarts = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lineStarts.push(at + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line + 1;
  };
  return knownSecrets(text, file).map((found) => ({
    file,
    object: `line ${lineOf(found.offset)}`,
    rule: "secret",
    message: `looks like ${found.messageId} (secretlint rule ${found.rule})`,
    fix: "remove the credential from the spec and pass it as a sensitive Terraform variable (docs/secrets.md); revoke it if it was ever committed",
  }));
}
