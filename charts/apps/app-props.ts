// The one adapter from an app of the spec to HomelabApp's props.
import { appSecretName, directAccessPolicyName } from "../../cluster/contract";
import { appBackupsOf } from "../../cluster/app-backups";
import type { AppSpec, Cluster } from "../../cluster/schema";
import type { AppPlacement, HomelabAppProps } from "./homelab-app";

export function appProps(cluster: Cluster, app: AppSpec): HomelabAppProps {
  return {
    placement: appPlacement(cluster, app),
    image: app.image,
    port: app.port,
    host: `${app.host ?? app.name}.${cluster.domain}`,
    probePath: app.probePath,
    profile: app.profile,
    timeZone: cluster.timeZone,
    configGiB: app.configGiB,
    hostDirectories: app.mounts,
    resources: app.resources,
    env: app.env,
    envFromSecret: app.secretEnv.length ? appSecretName(app.name) : undefined,
    peers: app.peers,
    directAccess: app.loadBalancerIp
      ? { ip: app.loadBalancerIp, clientCidr: cluster.network.cidr, announcedBy: directAccessPolicyName(app.namespace, app.name) }
      : undefined,
    sabnzbdHostWhitelist: /\/sabnzbd:[^/]+$/.test(app.image),
    backup: backupOf(cluster),
  };
}

/** Where an app of the spec runs: the GPU worker, a VPN worker (of its region), or any worker. */
export function appPlacement(cluster: Cluster, app: AppSpec): AppPlacement {
  if (app.gpu) return { kind: "gpu" };
  if (app.vpn) return { kind: "vpn", region: app.vpnRegion, clusterCidrs: [cluster.k3s.clusterCidr, cluster.k3s.serviceCidr] };
  return { kind: "any" };
}

function backupOf(cluster: Cluster): HomelabAppProps["backup"] {
  const backups = appBackupsOf(cluster);
  return backups && { schedule: backups.schedule, retain: backups.retain };
}
