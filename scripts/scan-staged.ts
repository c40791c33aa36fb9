// The pre-commit hook's secret scan (.githooks/pre-commit): refuses a commit whose staged dist/
// holds what `npm run check` would flag as a credential (scripts/lib/staged-secrets.ts).
import { exitCodes, reportFailure } from "./lib/cli";
import { scanStagedOutput } from "./lib/staged-secrets";

try {
  scanStagedOutput(process.cwd());
  process.exitCode = exitCodes.ok;
} catch (error) {
  process.exitCode = reportFailure("pre-commit", error);
}
