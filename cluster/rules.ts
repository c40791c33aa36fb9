// Cross-field rules of a homelab spec. The schema (schema.ts) has already checked shapes and
// formats; these rules check that the parts fit together. The order of the checks below is
// the order problems are reported in.
import type { Problem } from "./problems";
import type { Cluster } from "./schema";
import type { Report } from "./rule-kit";
import { checkApps, checkGpuShares, checkSsh } from "./rules-apps";
import { checkNetwork, checkVms } from "./rules-network";
import { checkCapacity, checkProxmox, checkStorageDefinitions } from "./rules-proxmox";
import { checkServices } from "./rules-services";
import { checkSecrets } from "./secret-rules";

export function checkRules(spec: Cluster): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message, fix) => problems.push({ path, message, fix });
  checkProxmox(spec, report);
  checkStorageDefinitions(spec, report);
  checkNetwork(spec, report);
  checkVms(spec, report);
  checkCapacity(spec, report);
  checkSsh(spec, report);
  checkApps(spec, report);
  checkGpuShares(spec, report);
  checkServices(spec, report);
  checkSecrets(spec, report);
  return problems;
}
