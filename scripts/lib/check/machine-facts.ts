// Rules "machine-path" and "timestamp": output must not depend on the machine or the moment
// it was built on — no absolute path of this checkout, home or temp directory, no date-times.
import { homedir, tmpdir } from "node:os";
import type { Finding } from "./findings";

export function machinePaths(root: string): string[] {
  return [...new Set([root, process.cwd(), homedir(), tmpdir()].filter((p) => p && p !== "/" && p.length > 4))];
}

export function scanMachineFacts(file: string, text: string, paths: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((line, i) => {
    const where = { file, object: `line ${i + 1}` };
    for (const path of paths) {
      // The path itself, not a longer name that starts with it (…/manifests/root-application.yaml).
      const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      if (new RegExp(`(^|[^\\w./-])${escaped}(?=[/"'\\s:,]|$)`).test(line))
        findings.push({
          ...where,
          rule: "machine-path",
          message: `contains ${path}, a path of the machine that ran synth`,
          fix: "write paths relative to the repository or the stack directory",
        });
    }
    const stamp = /\b(19|20)\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(:[0-5]\d)?/.exec(line);
    if (stamp)
      findings.push({
        ...where,
        rule: "timestamp",
        message: `contains the date-time ${stamp[0]}`,
        fix: "leave build times out of the output; it must be byte-for-byte reproducible",
      });
  });
  return findings;
}
