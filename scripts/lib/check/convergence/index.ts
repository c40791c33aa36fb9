// The convergence check: a static model of the first boot and the first Argo CD sync, built
// from a synthesized output (dist/bootstrap and dist/k8s) and the charts' upstream facts, walked
// in the order the cluster runs it — k3s, the bootstrap manifests, then each Application by
// wave. Each rule is one file under rules/; docs/boot-order.md tells the same order in prose.
import { parseCidr } from "../../../../cluster/ipv4";
import type { Cluster } from "../../../../cluster/schema";
import { appsDirectory, renderedBranchOf } from "../../../../charts/argocd/root-application";
import type { Finding } from "../findings";
import type { Context, Rule } from "./context";
import { renderedObjects } from "../../validate/rendered-k8s";
import type { FactsProblem } from "./facts-lookup";
import type { Rendered, World } from "./model";
import { podTemplates } from "./pods";
import { Provided } from "./provided";
import { applicationUnits, objectsOf, readProjects, renderedFile } from "./read-applications";
import { bootstrapUnits, k3sUnit, readUserData } from "./read-bootstrap";
import { k3sConfigs, readNodes } from "./read-nodes";
import { checkAdmission } from "./rules/admission";
import { checkAppBackups } from "./rules/app-backups";
import { checkCertificateGate } from "./rules/certificate-gate";
import { checkCrdReferences } from "./rules/crd-references";
import { checkGatewayReferences } from "./rules/gateway-references";
import { checkL2Local } from "./rules/l2-local";
import { checkObjectReferences } from "./rules/object-references";
import { checkPodReferences } from "./rules/pod-references";
import { checkReachability } from "./rules/reachability";
import { checkRootHealth } from "./rules/root-health";
import { checkRouteBackends } from "./rules/route-backends";
import { checkScheduling } from "./rules/scheduling";
import { checkSealedSecretGate } from "./rules/sealed-secret-gate";
import { checkSecretControllers } from "./rules/secret-controllers";
import { checkStartRequirements } from "./rules/start-requirements";
import { checkSyncRetry } from "./rules/sync-retry";
import { checkVolumePlugins } from "./rules/volume-plugins";
import { checkVpnFirewall } from "./rules/vpn-firewall";
import { checkWaveGate } from "./rules/wave-gate";

const convergenceRules: readonly Rule[] = [
  checkReachability,
  checkStartRequirements,
  checkAdmission,
  checkGatewayReferences,
  checkObjectReferences,
  checkPodReferences,
  checkSecretControllers,
  checkCrdReferences,
  checkScheduling,
  checkVolumePlugins,
  checkAppBackups,
  checkVpnFirewall,
  checkRootHealth,
  checkSyncRetry,
  checkWaveGate,
  checkRouteBackends,
  checkL2Local,
  checkCertificateGate,
  checkSealedSecretGate,
];

const appsFile = renderedFile(appsDirectory);

/** The model of an output: nodes, units in the order they run, projects. */
function buildWorld(tree: ReadonlyMap<string, string>, rendered: Rendered, cluster: Cluster, problems: FactsProblem[]): World {
  const userData = readUserData(tree);
  const configs = k3sConfigs(userData);
  const servers = configs.filter((c) => c.server).map((c) => c.config);
  const serviceCidr = servers[0]?.["service-cidr"] ?? cluster.k3s.serviceCidr;
  const first = parseCidr(serviceCidr).network + 1;
  return {
    units: [
      k3sUnit(new Set(servers.flatMap((c) => c.disable ?? []))),
      ...bootstrapUnits(userData, cluster, problems),
      ...applicationUnits(rendered, appsFile, cluster, problems),
    ],
    renderedBranch: renderedBranchOf(cluster),
    nodes: readNodes(configs, cluster),
    projects: readProjects(objectsOf(rendered, appsFile)),
    apiServiceIp: [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join("."),
    apiVip: cluster.network.apiVip,
    kubeProxyDisabled: servers.some((c) => c["disable-kube-proxy"] === true),
  };
}

/** Every convergence finding of an output (relative path → content), given its rendered objects when already read. */
export function checkConvergence(tree: ReadonlyMap<string, string>, cluster: Cluster, rendered: Rendered = renderedObjects(tree)): Finding[] {
  const problems: FactsProblem[] = [];
  const world = buildWorld(tree, rendered, cluster, problems);
  const context: Context = { world, provided: new Provided(world.units), pods: podTemplates(world.units) };
  const facts = problems.map((p) => ({ ...p, rule: "facts" }));
  return [...facts, ...convergenceRules.flatMap((rule) => rule(context))];
}
