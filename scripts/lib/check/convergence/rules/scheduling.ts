// Rule "scheduling": every pod template can land on the spec's nodes — labels and taints as
// the k3s configs register them, requests against each node's allocatable share (allocatable.ts),
// GPUs against what the device plugin advertises on the nodes it runs on (GPUs × time-slicing
// replicas). DaemonSets first, on every node they fit; then each replica on the node with most
// free memory. A DaemonSet that fits no node is Healthy in Argo CD yet runs nothing.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import type { Node, PodTemplate } from "../model";
import { eligibleNodes, explainNoNode } from "../placement";
import { daemonSetNamed } from "../pods";

interface Free {
  readonly node: Node;
  readonly left: Record<string, number>;
  /** Who took each extended resource, for the message. */
  readonly takenBy: Record<string, string[]>;
}

const show = (resource: string, n: number) => (resource === "cpu" ? `${Math.round(n)}m` : resource === "memory" ? `${Math.round(n / 2 ** 20)}Mi` : String(n));
const showAll = (r: Readonly<Record<string, number>>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${show(k, v)}`)
    .join(", ");

/** Extended resources (GPUs) per node: advertised only where the device plugin's DaemonSet runs. */
function deviceCapacity({ world, pods }: Context): Map<string, Record<string, number>> {
  const capacity = new Map<string, Record<string, number>>(world.nodes.map((n) => [n.name, {}]));
  for (const unit of world.units) {
    for (const { facts } of unit.facts) {
      for (const device of facts.deviceResources) {
        const plugin = daemonSetNamed(pods, device.workload);
        for (const node of plugin ? eligibleNodes(plugin, world.nodes).filter((n) => n.gpuVendor === device.gpuVendor) : []) {
          capacity.get(node.name)![device.resource] = device.perDevice;
        }
      }
    }
  }
  return capacity;
}

const fits = (free: Free, requests: Readonly<Record<string, number>>) => Object.entries(requests).every(([r, n]) => n <= (free.left[r] ?? 0));

function take(free: Free, pod: PodTemplate): void {
  for (const [r, n] of Object.entries(pod.requests)) {
    free.left[r] = (free.left[r] ?? 0) - n;
    if (r !== "cpu" && r !== "memory") (free.takenBy[r] ??= []).push(pod.id);
  }
}

function finding(pod: PodTemplate, message: string, fix: string): Finding {
  return { file: pod.file, object: pod.id, rule: "scheduling", message: `${pod.id} (${pod.origin}, ${pod.unit.label}) ${message}`, fix };
}

const placementFix =
  "place it where the nodes' labels and taints allow (cluster/contract.ts nodePlacement renders them into the k3s configs), or give it the node selector, affinity or tolerations those nodes need";

export function checkScheduling(context: Context): Finding[] {
  const { world, pods } = context;
  const devices = deviceCapacity(context);
  const free = new Map<string, Free>(
    world.nodes.map((node) => [node.name, { node, left: { cpu: node.cpu, memory: node.memory, ...devices.get(node.name) }, takenBy: {} }]),
  );
  const findings: Finding[] = [];
  for (const pod of pods.filter((p) => p.kind === "DaemonSet")) {
    const nodes = eligibleNodes(pod, world.nodes);
    if (!nodes.length)
      findings.push(finding(pod, `places no pod on any node (Argo CD still reports it Healthy): ${explainNoNode(pod, world.nodes)}`, placementFix));
    const short = nodes.filter((n) => !fits(free.get(n.name)!, pod.requests));
    if (short.length)
      findings.push(
        finding(
          pod,
          `does not fit on ${short.map((n) => n.name).join(", ")}: requests ${showAll(pod.requests)}`,
          "lower its requests or give those nodes more CPU or memory (vms[].cores, memoryGiB)",
        ),
      );
    for (const node of nodes) take(free.get(node.name)!, pod);
  }
  const others = pods.filter((p) => p.kind !== "DaemonSet");
  const weight = (p: PodTemplate) => Object.entries(p.requests).reduce((w, [r, n]) => w + (r === "memory" ? n / 2 ** 20 : r === "cpu" ? n : n * 1e9), 0);
  for (const pod of [...others].sort((a, b) => weight(b) - weight(a) || a.id.localeCompare(b.id))) {
    const nodes = eligibleNodes(pod, world.nodes);
    if (!nodes.length) {
      findings.push(finding(pod, `fits no node: ${explainNoNode(pod, world.nodes)}`, placementFix));
      continue;
    }
    const used = new Set<string>();
    for (let replica = 0; replica < pod.replicas; replica++) {
      const candidates = nodes.map((n) => free.get(n.name)!).filter((f) => fits(f, pod.requests) && !(pod.onePerNode && used.has(f.node.name)));
      const best = candidates.sort((a, b) => b.left.memory - a.left.memory || a.node.name.localeCompare(b.node.name))[0];
      if (!best) {
        findings.push(
          capacityFinding(
            pod,
            replica,
            nodes.map((n) => free.get(n.name)!),
            used,
          ),
        );
        break;
      }
      used.add(best.node.name);
      take(best, pod);
    }
  }
  return findings;
}

function capacityFinding(pod: PodTemplate, replica: number, nodes: readonly Free[], used: ReadonlySet<string>): Finding {
  const extended = Object.keys(pod.requests).filter((r) => r !== "cpu" && r !== "memory");
  for (const resource of extended) {
    const holders = nodes.filter((f) => (f.left[resource] ?? 0) + (f.takenBy[resource]?.length ?? 0) > 0);
    if (!holders.length)
      return finding(
        pod,
        `needs ${resource} ${pod.requests[resource]}, but no node it may run on advertises ${resource} (the device plugin runs on none of them)`,
        "make the device plugin run on the GPU nodes (its placement in charts/platform/gpu-plugins.ts and the node labels of cluster/contract.ts)",
      );
    if (holders.every((f) => (f.left[resource] ?? 0) < pod.requests[resource])) {
      const taken = holders.map((f) => `${f.node.name} by ${f.takenBy[resource]?.join(", ") ?? "nothing"}`).join("; ");
      return finding(
        pod,
        `needs ${resource} ${pod.requests[resource]}, but every one is taken (${taken}), so it stays Pending`,
        "give each whole-GPU app its own GPU (another gpu-worker), or share the GPU with platform.nvidiaDevicePlugin.timeSlicing",
      );
    }
  }
  const spread = pod.onePerNode && used.size ? ` (at most one per node; ${used.size} placed)` : "";
  const room = nodes
    .map((f) => `${f.node.name} ${showAll({ cpu: f.left.cpu, memory: f.left.memory })}`)
    .slice(0, 4)
    .join("; ");
  return finding(
    pod,
    `replica ${replica + 1} of ${pod.replicas} finds no node with room${spread}: needs ${showAll(pod.requests)}; free: ${room}`,
    "lower its requests or replicas, or give the nodes it may use more CPU or memory (vms[].cores, memoryGiB)",
  );
}
