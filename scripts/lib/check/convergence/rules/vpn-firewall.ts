// Rule "vpn-firewall": a pod behind gluetun's firewall (a VPN sidecar) answers the kubelet's
// probes only on the ports that firewall opens. gluetun v3.40 sets INPUT to DROP and accepts
// only loopback, replies, its local subnets and FIREWALL_INPUT_PORTS on the default route's
// interface (qdm12/gluetun@v3.40.0: internal/firewall/enable.go#L74-L138, #L203-L215;
// cmd/gluetun/main.go#L345-L352). Its "local subnets" are the main table's gateway-less routes
// (internal/routing/local.go#L24-L89); in a Cilium pod that is the /32 route to the node's
// cilium_host address, never the pod's own address, so a probe of any other port is dropped:
// the probe fails, a failing startup probe of the native sidecar keeps every app container from
// starting, and the Deployment never becomes available.
import type { Finding } from "../../findings";
import type { Context } from "../context";
import { objectId, podSpecOf } from "../../../validate/kubernetes-objects";
import type { K8sObject } from "../model";

const workloadKinds = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

/** gluetun from any registry (docker.io/qmcgaw/gluetun, qmcgaw/gluetun, ghcr.io/qdm12/gluetun). */
export const isGluetun = (image: string | undefined) => /(^|\/)(qmcgaw|qdm12)\/gluetun(:|@|$)/.test(image ?? "");

/** The env var that turns the firewall off (internal/configuration/settings/firewall.go#L130). */
const firewallSwitch = "FIREWALL_ENABLED_DISABLING_IT_SHOOTS_YOU_IN_YOUR_FOOT";
const off = new Set(["off", "no", "false", "0", "disable", "disabled"]);

const envOf = (container: any, name: string): string | undefined => (container.env ?? []).find((e: any) => e.name === name)?.value;

/** The numeric port a probe asks, resolving a named port against the container's ports. */
function probePort(probe: any, container: any): number | undefined {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (typeof port === "number") return port;
  if (typeof port === "string" && /^\d+$/.test(port)) return Number(port);
  return (container.ports ?? []).find((p: any) => p.name === port)?.containerPort;
}

function checkPod(object: K8sObject, file: string): Finding[] {
  const spec = podSpecOf(object) ?? {};
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const findings: Finding[] = [];
  for (const gluetun of containers.filter((c) => isGluetun(c.image))) {
    if (off.has((envOf(gluetun, firewallSwitch) ?? "").toLowerCase())) continue;
    const open = new Set(
      (envOf(gluetun, "FIREWALL_INPUT_PORTS") ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)
        .map(Number),
    );
    for (const container of containers) {
      for (const kind of ["startupProbe", "livenessProbe", "readinessProbe"] as const) {
        const port = probePort(container[kind], container);
        if (port === undefined || open.has(port)) continue;
        const id = objectId(object);
        findings.push({
          file,
          object: id,
          rule: "vpn-firewall",
          message: `${id}: the ${kind} of container ${container.name} asks port ${port}, which the firewall of its VPN sidecar ${gluetun.name} drops (FIREWALL_INPUT_PORTS ${[...open].join(",") || "is empty"}): the probe never succeeds${kind === "startupProbe" && container.restartPolicy === "Always" ? ", and no container after this native sidecar ever starts" : ""}`,
          fix: `open port ${port} in ${gluetun.name}'s FIREWALL_INPUT_PORTS, which must list every probe port of the pod (charts/apps/vpn-sidecar.ts)`,
        });
      }
    }
  }
  return findings;
}

export function checkVpnFirewall({ world }: Context): Finding[] {
  return world.units.flatMap((unit) => unit.objects.filter((o) => workloadKinds.has(o.kind)).flatMap((o) => checkPod(o, unit.file)));
}
