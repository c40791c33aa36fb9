// Cross-field rules of a homelab spec. The schema (schema.ts) has already checked shapes and
// formats; these rules check that the parts fit together. The order of the checks below is
// the order problems are reported in.
import { Unavailable } from "./partial-spec";
import type { Problem } from "./problems";
import type { Cluster } from "./schema";
import type { Report } from "./rule-kit";
import { checkApps, checkGpuShares, checkSsh } from "./rules-apps";
import { checkAppBackups } from "./rules-backups";
import { checkNetwork, checkVms } from "./rules-network";
import { checkCapacity, checkProxmox, checkStorageDefinitions } from "./rules-proxmox";
import { checkServices } from "./rules-services";
import { checkSecrets } from "./secret-rules";

const rules: readonly ((spec: Cluster, report: Report) => void)[] = [
  checkProxmox,
  checkStorageDefinitions,
  checkNetwork,
  checkVms,
  checkCapacity,
  checkSsh,
  checkApps,
  checkGpuShares,
  checkServices,
  checkAppBackups,
  checkSecrets,
];

/**
 * Every rule's problems. On a spec the schema rejected in part (partial-spec.ts), a rule that
 * reads a rejected part stops there; what it reported before stands (it read valid parts only).
 */
export function checkRules(spec: Cluster): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message, fix) => problems.push({ path, message, fix });
  for (const rule of rules) {
    try {
      rule(spec, report);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
    }
  }
  return problems;
}
