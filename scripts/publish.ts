// `npm run publish [-- --push] [-- --remote origin]`: commits dist/k8s to the rendered branch
// named in the spec, as one commit naming the source commit; nothing when unchanged.
import { parseArgs } from "node:util";
import { SpecError } from "../cluster/problems";
import { publish } from "./lib/publish";
import { UsageError } from "./lib/usage-error";

function main(): number {
  try {
    const { values } = parseArgs({
      options: { push: { type: "boolean", default: false }, remote: { type: "string", default: "origin" }, cluster: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
    const result = publish({ cwd: process.cwd(), push: values.push, remote: values.remote, clusterFile: values.cluster });
    process.stdout.write(
      result.commit
        ? `publish: ${result.files} files of ${result.sourceCommit.slice(0, 12)} → ${result.branch} ${result.commit.slice(0, 12)}${values.push ? ` (pushed to ${values.remote})` : ""}\n`
        : `publish: ${result.branch} already has these ${result.files} files; no commit\n`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof SpecError || error instanceof UsageError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`publish: ${message}\n`);
    return error instanceof UsageError || error instanceof SpecError ? 2 : 1;
  }
}

process.exitCode = main();
