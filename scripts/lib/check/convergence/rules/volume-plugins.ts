// Rule "scheduling", volume part: a volume attaches only on a node where its storage's node
// plugin runs (Longhorn: the manager, the CSI plugin and the instance manager, whose tolerations
// come from the taint-toleration setting). A pod that may land on a node without them mounts
// nothing there and stays ContainerCreating.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { eligibleNodes, whyNot } from "../placement";
import { daemonSetNamed } from "../pods";

export function checkVolumePlugins({ world, pods }: Context): Finding[] {
  const findings: Finding[] = [];
  const plugins = world.units.flatMap((u) => u.facts.flatMap(({ origin, facts }) => facts.nodePlugins.map((p) => ({ ...p, origin }))));
  for (const pod of pods.filter((p) => p.storageClasses.length)) {
    const nodes = eligibleNodes(pod, world.nodes);
    for (const plugin of plugins.filter((p) => pod.storageClasses.includes(p.storageClass))) {
      const gaps = plugin.workloads.flatMap((name) => {
        const workload = daemonSetNamed(pods, name);
        if (!workload) return [];
        return nodes.flatMap((node) => {
          const reason = whyNot(workload, node);
          return reason ? [`${name} cannot run on ${node.name} (${reason})`] : [];
        });
      });
      if (gaps.length) {
        findings.push({
          file: pod.file,
          object: pod.id,
          rule: "scheduling",
          message: `${pod.id} (${pod.origin}, ${pod.unit.label}) mounts a ${plugin.storageClass} volume, but ${gaps.join("; ")}: the volume never attaches there`,
          fix: `let the storage's node components tolerate those nodes' taints (${plugin.origin}: longhornManager.tolerations and defaultSettings.taintToleration, charts/platform/longhorn.ts)`,
        });
      }
    }
  }
  return findings;
}
