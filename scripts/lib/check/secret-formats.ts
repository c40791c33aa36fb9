// The well-kept half of rule "secret": known token formats (cloud keys, GitHub, Slack, npm,
// OpenAI, private keys, basic-auth and database URLs…) come from secretlint's recommended
// preset, run on every output file. Messages are masked by secretlint and rebuilt here from the
// rule and message ids, so a finding never carries the value.
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import type { Finding } from "./findings";

const config: Parameters<typeof lintSource>[0]["options"]["config"] = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

export async function scanKnownFormats(file: string, text: string): Promise<Finding[]> {
  const result = await lintSource({
    source: { filePath: file, content: text, contentType: "text", ext: file.slice(file.lastIndexOf(".")) },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => ({
    file,
    object: `line ${m.loc.start.line}`,
    rule: "secret",
    message: `looks like ${m.messageId} (secretlint rule ${m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "")})`,
    fix: "remove the credential from the spec and pass it as a sensitive Terraform variable (docs/secrets.md); revoke it if it was ever committed",
  }));
}
