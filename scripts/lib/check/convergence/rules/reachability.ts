// Rule "bootstrap", reachability part: what the first boot needs before anything else runs.
// kube-vip holds the API VIP, the CNI (Cilium, replacing kube-proxy) serves Service addresses,
// and both must reach the API to start. An endpoint on 127.0.0.1 is k3s's own listener (server:
// 6443 and 6444, agent: the client load balancer on 6444, infra/bootstrap/k3s-facts.ts); the VIP
// needs kube-vip; the in-cluster Service address needs kube-proxy or the CNI. A cycle among
// them (kube-vip#721) means neither starts and no node joins through the VIP.
import { k3sLocalApiPorts, k3sLoopbackHosts } from "../../../../../infra/bootstrap/k3s-facts";
import type { Finding } from "../../findings";
import type { Context } from "../context";
import type { Node } from "../model";
import { eligibleNodes } from "../placement";
import { fromFact } from "../pods";
import { apiStarters, type Starter } from "./api-starters";

type Needs = { readonly provider?: string; readonly problem?: string };

/** What reaching host:port from a node of this role needs. */
function needsFor(host: string, port: number, node: Node, context: Context, starters: readonly Starter[]): Needs {
  const { world } = context;
  if (k3sLoopbackHosts.has(host)) {
    const ports = node.server ? k3sLocalApiPorts.server : [node.lbServerPort ?? k3sLocalApiPorts.agent[0]];
    return (ports as readonly number[]).includes(port)
      ? {}
      : { problem: `nothing listens on ${host}:${port} on ${node.server ? "a server" : "an agent"} (k3s: ${ports.join(", ")})` };
  }
  if (host === world.apiVip) {
    const vip = starters.find((s) => s.provides === "vip");
    return vip ? { provider: vip.name } : { problem: `nothing in the bootstrap holds the VIP ${host}` };
  }
  if (host === world.apiServiceIp || host.startsWith("kubernetes.default")) {
    const cni = starters.find((s) => s.provides === "cluster-ip");
    if (!world.kubeProxyDisabled) return {};
    return cni ? { provider: cni.name } : { problem: "kube-proxy is disabled and nothing at boot routes Service addresses" };
  }
  if (host === "auto" || host === "")
    return { problem: `host "${host}" is resolved by Helm lookup, which Argo CD does not run (it renders the literal value)` };
  return {};
}

export function checkReachability(context: Context): Finding[] {
  const starters = apiStarters(context);
  const edges = new Map<string, { provider: string; via: string }>();
  const findings: Finding[] = [];
  for (const starter of starters) {
    for (const node of starter.nodes) {
      const needs = needsFor(starter.host, starter.port, node, context, starters);
      if (needs.problem)
        findings.push({
          file: starter.file,
          object: starter.id,
          rule: "bootstrap",
          message: `${starter.name} reaches the API at ${starter.host}:${starter.port} on ${node.name}: ${needs.problem}`,
          fix: starter.fix,
        });
      if (needs.provider && !edges.has(starter.name)) edges.set(starter.name, { provider: needs.provider, via: `${starter.host}:${starter.port}` });
      if (needs.problem || needs.provider) break; // one node of a role tells it
    }
  }
  const reported = new Set<string>();
  for (const start of edges.keys()) {
    const path = [start];
    for (let next = edges.get(start)?.provider; next && !path.includes(next); next = edges.get(next)?.provider) path.push(next);
    const last = edges.get(path[path.length - 1])?.provider;
    if (last !== start || reported.has([...path].sort().join())) continue;
    reported.add([...path].sort().join());
    const chain = path.map((name) => `${name} needs ${edges.get(name)!.via}, which ${edges.get(name)!.provider} provides`).join("; ");
    const starter = starters.find((s) => s.name === start)!;
    const joins = context.world.nodes.filter((n) => n.joinUrl?.includes(context.world.apiVip)).length;
    findings.push({
      file: starter.file,
      object: starter.id,
      rule: "bootstrap",
      message: `deadlock at first boot: ${chain}. Neither starts${joins ? `, and the ${joins} nodes that join through the VIP never join` : ""}`,
      fix: starters
        .filter((s) => path.includes(s.name))
        .map((s) => s.fix)
        .join("; "),
    });
  }
  return [...findings, ...cniOnControlPlanes(context, starters)];
}

/** The CNI's critical pods must run on the control planes alone: until they run, no node has a network. */
function cniOnControlPlanes(context: Context, starters: readonly Starter[]): Finding[] {
  const servers = context.world.nodes.filter((n) => n.server);
  const cni = starters.find((s) => s.provides === "cluster-ip");
  if (!cni || !servers.length) return [];
  // As the bootstrap installs it: its values, not those Argo CD applies later.
  return cni.unit.facts
    .flatMap(({ origin, facts }) => facts.workloads.filter((w) => w.critical).map((w) => fromFact(w, cni.unit, origin)))
    .filter((p) => !eligibleNodes(p, servers).length)
    .map((p) => ({
      file: p.file,
      object: p.id,
      rule: "bootstrap",
      message: `${p.id} (${p.origin}) cannot run on any control plane (${servers[0].taints.map((t) => `${t.key}:${t.effect}`).join(", ")}): until a worker joins, the CNI is not ready on any node`,
      fix: "add the control planes' taints to its tolerations (cilium: operator.tolerations, charts/platform/cilium.ts)",
    }));
}
