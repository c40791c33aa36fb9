// The boot components that must reach the Kubernetes API to start, and how: kube-vip (its
// container's KUBERNETES_SERVICE_* or else the in-cluster Service), the CNI of the bootstrap
// (its chart's k8sServiceHost/Port facts), and the nodes that join through a server URL.
import type { Context } from "../context";
import { objectId } from "../../../validate/kubernetes-objects";
import type { Node, Unit } from "../model";
import { eligibleNodes } from "../placement";

export interface Starter {
  readonly name: string;
  readonly id: string;
  readonly file: string;
  readonly unit: Unit;
  readonly host: string;
  readonly port: number;
  /** The nodes it runs on (servers first, so one of each role is looked at). */
  readonly nodes: readonly Node[];
  readonly provides?: "vip" | "cluster-ip";
  readonly fix: string;
}

const byRole = (nodes: readonly Node[]) => [...nodes].sort((a, b) => Number(b.server) - Number(a.server));

export function apiStarters({ world, pods }: Context): Starter[] {
  const starters: Starter[] = [];
  const inCluster = { host: world.apiServiceIp, port: 443 };
  for (const unit of world.units.filter((u) => u.kind === "bootstrap")) {
    for (const o of unit.objects.filter((x) => x.kind === "DaemonSet")) {
      const container = (o.spec?.template?.spec?.containers ?? []).find((c: any) =>
        (c.env ?? []).some((e: any) => (e.name === "address" || e.name === "vip_address") && e.value === world.apiVip),
      );
      if (!container) continue;
      const env = Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));
      const id = objectId(o);
      const pod = pods.find((p) => p.id === id);
      starters.push({
        name: `kube-vip (${unit.label})`,
        id,
        file: unit.file,
        unit,
        ...(env.KUBERNETES_SERVICE_HOST ? { host: env.KUBERNETES_SERVICE_HOST, port: Number(env.KUBERNETES_SERVICE_PORT ?? 443) } : inCluster),
        nodes: pod ? byRole(eligibleNodes(pod, world.nodes)) : [],
        provides: "vip",
        fix: "give kube-vip's container KUBERNETES_SERVICE_HOST=127.0.0.1 and KUBERNETES_SERVICE_PORT=6443, k3s's local supervisor on every control plane (infra/bootstrap/auto-deploy.ts)",
      });
    }
    for (const { origin, facts } of unit.facts.filter(({ facts: f }) => f.servesClusterIps || f.apiEndpoint)) {
      const ids = new Set(facts.workloads.map(objectId));
      const nodes = new Set(pods.filter((p) => ids.has(p.id)).flatMap((p) => eligibleNodes(p, world.nodes)));
      starters.push({
        name: `${origin.replace(/^chart /, "")} (${unit.label})`,
        id: `HelmChart/kube-system/${unit.name.replace(/\.yaml$/, "")}`,
        file: unit.file,
        unit,
        ...(facts.apiEndpoint ?? inCluster),
        nodes: byRole([...nodes]),
        ...(facts.servesClusterIps ? { provides: "cluster-ip" as const } : {}),
        fix: "point the CNI at k3s's local API endpoint, which needs neither the VIP nor Service routing (cilium: k8sServiceHost 127.0.0.1, k8sServicePort 6444; charts/platform/index.ts)",
      });
    }
  }
  const joining = world.nodes.filter((n) => n.joinUrl);
  for (const url of [...new Set(joining.map((n) => n.joinUrl!))]) {
    const parsed = new URL(url);
    starters.push({
      name: `k3s joining through ${url}`,
      id: "",
      file: "bootstrap/",
      unit: world.units[0],
      host: parsed.hostname,
      port: Number(parsed.port || 443),
      nodes: joining.filter((n) => n.joinUrl === url),
      fix: "join through an address that is up before any pod runs",
    });
  }
  return starters;
}
