// Rule "l2-local": Cilium's L2 announcements are incompatible with externalTrafficPolicy Local
// (cilium/cilium Documentation/network/l2-announcements.rst, "Limitations"; cilium/cilium#27800):
// one node of the policy's nodes takes the Service's lease and answers ARP for its address, and
// with Local that node drops the traffic unless one of the Service's pods runs on it. So every
// policy that announces such a Service may select only nodes its pods may run on, and some
// policy must announce it. The policy's selectors: serviceSelector over the Service's labels
// (and io.kubernetes.service.name/namespace), nodeSelector over the nodes' labels (same page,
// "Service Selector", "Node Selector").
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { K8sObject, Node } from "../model";
import { eligibleNodes } from "../placement";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined;

/** A Kubernetes label selector; an empty or missing one selects everything. */
function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const labelsHold = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    labelsHold &&
    (selector.matchExpressions ?? []).every((e) => {
      const value = labels[e.key];
      if (e.operator === "In") return value !== undefined && (e.values ?? []).includes(value);
      if (e.operator === "NotIn") return value === undefined || !(e.values ?? []).includes(value);
      if (e.operator === "Exists") return value !== undefined;
      return value === undefined; // DoesNotExist
    })
  );
}

const serviceLabels = (s: K8sObject) => ({
  ...(s.metadata.labels ?? {}),
  "io.kubernetes.service.name": s.metadata.name,
  "io.kubernetes.service.namespace": s.metadata.namespace ?? "",
});

export function checkL2Local({ world, pods }: Context): Finding[] {
  const objects = world.units.flatMap((u) => u.objects.map((o) => ({ o, unit: u })));
  const policies = objects.filter(({ o }) => o.kind === "CiliumL2AnnouncementPolicy" && o.spec?.loadBalancerIPs === true).map(({ o }) => o);
  const workloads = objects.filter(({ o }) => ["Deployment", "StatefulSet", "DaemonSet"].includes(o.kind)).map(({ o }) => o);
  const findings: Finding[] = [];
  for (const { o: service, unit } of objects.filter(
    ({ o }) => o.kind === "Service" && o.spec?.type === "LoadBalancer" && o.spec?.externalTrafficPolicy === "Local",
  )) {
    const id = objectId(service);
    const backing = workloads.filter(
      (w) =>
        w.metadata.namespace === service.metadata.namespace && selects({ matchLabels: service.spec?.selector ?? {} }, w.spec?.template?.metadata?.labels ?? {}),
    );
    const podNodes = new Set<Node>(backing.flatMap((w) => pods.filter((p) => p.id === objectId(w)).flatMap((p) => eligibleNodes(p, world.nodes))));
    const announcing = policies.filter((p) => selects(p.spec?.serviceSelector, serviceLabels(service)));
    const fix =
      "announce it from a policy of its own whose nodeSelector selects only the nodes its pods may run on, and exclude it from the general policy (charts/platform/cilium.ts dedicatedAnnouncements, charts/apps/app-placement.ts placementNodes)";
    if (!announcing.length)
      findings.push({
        file: unit.file,
        object: id,
        rule: "l2-local",
        message: `${id} (${unit.label}) is a LoadBalancer Service that no CiliumL2AnnouncementPolicy announces: its address answers nobody`,
        fix,
      });
    for (const policy of announcing) {
      const wrong = world.nodes.filter((n) => selects(policy.spec?.nodeSelector, n.labels) && !podNodes.has(n)).map((n) => n.name);
      if (!wrong.length) continue;
      findings.push({
        file: unit.file,
        object: id,
        rule: "l2-local",
        message: `${id} (${unit.label}) has externalTrafficPolicy Local, but CiliumL2AnnouncementPolicy ${policy.metadata.name} may announce it from ${wrong.join(", ")}, where none of its pods can run: while that node holds the lease, Cilium drops every packet for the address`,
        fix,
      });
    }
  }
  return findings;
}
