// Whether a pod template may land on a node, as the scheduler decides it before resources:
// nodeSelector, required node affinity, and NoSchedule/NoExecute taints against tolerations.
import type { Toleration } from "../../../../charts/platform/upstream-facts";
import { taintText } from "../../../../cluster/contract";
import type { Node, PodTemplate } from "./model";

type Taint = Node["taints"][number];

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

function requirementHolds(labels: Readonly<Record<string, string>>, r: { key: string; operator: string; values?: readonly string[] }): boolean {
  const value = labels[r.key];
  switch (r.operator) {
    case "In":
      return value !== undefined && (r.values ?? []).includes(value);
    case "NotIn":
      return value === undefined || !(r.values ?? []).includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(r.values?.[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(r.values?.[0]);
    default:
      return false;
  }
}

/** Why the pod cannot land on the node (labels and taints only), or undefined if it can. */
export function whyNot(pod: PodTemplate, node: Node): string | undefined {
  const missing = Object.entries(pod.nodeSelector).filter(([k, v]) => node.labels[k] !== v);
  if (missing.length) return `no label ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}`;
  if (pod.nodeAffinity && !pod.nodeAffinity.some((term) => term.every((r) => requirementHolds(node.labels, r)))) {
    return `its required node affinity (${pod.nodeAffinity.map((term) => term.map((r) => `${r.key} ${r.operator}${r.values ? ` ${r.values.join("|")}` : ""}`).join(" and ")).join(", or ")}) does not hold`;
  }
  const untolerated = node.taints.filter((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(pod.tolerations, t));
  if (untolerated.length) return `taint ${untolerated.map(taintText).join(", ")} is not tolerated`;
  return undefined;
}

export function eligibleNodes(pod: PodTemplate, nodes: readonly Node[]): Node[] {
  return nodes.filter((node) => whyNot(pod, node) === undefined);
}

/** The reasons no node takes the pod, grouped: "k3s-worker-1, k3s-worker-2: no label …". */
export function explainNoNode(pod: PodTemplate, nodes: readonly Node[]): string {
  const byReason = new Map<string, string[]>();
  for (const node of nodes) {
    const reason = whyNot(pod, node) ?? "fits";
    byReason.set(reason, [...(byReason.get(reason) ?? []), node.name]);
  }
  return [...byReason]
    .map(([reason, names]) => `${names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ")}: ${reason}`)
    .join("; ");
}
