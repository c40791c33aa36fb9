// The exemptions a spec declares for rules of `npm run check`: its own list, and those that
// follow from what it asks for (a shared directory mount, the VPN sidecar's device).
import type { Cluster } from "../../../cluster/schema";
import type { Exemption } from "./findings";

/** Exemptions that follow from what the spec declares (mounts, VPN), plus the spec's own list. */
export function exemptionsFromSpec(cluster: Cluster): Exemption[] {
  const declared: Exemption[] = cluster.check.exemptions.map((e, i) => ({ ...e, declaredAt: `check.exemptions[${i}]` }));
  cluster.apps.forEach((app, i) => {
    const id = `Deployment/${app.namespace}/${app.name}`;
    for (const mount of app.mounts)
      declared.push({
        rule: "host-access",
        object: `${id}#hostPath:${mount}`,
        reason: `shared directory ${mount} (virtiofs on every worker)`,
        declaredAt: `apps[${i}].mounts`,
      });
    if (app.vpn) {
      declared.push({
        rule: "host-access",
        object: `${id}#hostPath:/dev/net/tun`,
        reason: "the gluetun VPN sidecar needs the TUN device",
        declaredAt: `apps[${i}].vpn`,
      });
      declared.push({
        rule: "host-access",
        object: `${id}#capability:NET_ADMIN`,
        reason: "the gluetun VPN sidecar manages the pod's routes and firewall (kill switch)",
        declaredAt: `apps[${i}].vpn`,
      });
    }
  });
  return declared;
}
