// The secret scan of `npm run check` (secrets.ts, with the spec's declared exemptions), run on
// what publish and the pre-commit hook are about to commit: a finding stops them, naming the
// file, the object and what it looks like, never the value.
import type { Cluster } from "../../../cluster/schema";
import { Refusal } from "../command-errors";
import { applyExemptions, formatFinding, type Finding } from "./findings";
import { exemptionsFromSpec } from "./exemptions";
import { scanForSecrets } from "./secrets";

/** The findings in these files (path as check names it → text) that the spec does not exempt. */
export function secretFindings(files: Iterable<readonly [string, string]>, cluster: Cluster): Finding[] {
  const found: Finding[] = [];
  for (const [file, text] of files) found.push(...scanForSecrets(file, text));
  return applyExemptions(found, exemptionsFromSpec(cluster)).findings;
}

/** Refuses (exit 1) when any of the files holds a secret. `what` says what would have carried them. */
export function refuseSecrets(findings: readonly Finding[], what: string): void {
  if (!findings.length) return;
  throw new Refusal(
    `${what} would carry ${findings.length === 1 ? "a credential" : `${findings.length} credentials`} (the secret rule of npm run check):\n${findings
      .slice(0, 10)
      .map((f) => `  ${formatFinding(f)}`)
      .join("\n")}${findings.length > 10 ? "\n  …" : ""}`,
  );
}
