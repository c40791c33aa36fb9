// The one adapter from an app of the spec to HomelabApp's props.
import { appSecretName } from "../../cluster/contract";
import { appBackupsOf } from "../../cluster/app-backups";
import type { AppSpec, Cluster } from "../../cluster/schema";
import type { HomelabAppProps } from "./homelab-app";

export function appProps(cluster: Cluster, app: AppSpec): HomelabAppProps {
  return {
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
    directAccess: app.loadBalancerIp ? { ip: app.loadBalancerIp, clientCidr: cluster.network.cidr } : undefined,
    sabnzbdHostWhitelist: /\/sabnzbd:[^/]+$/.test(app.image),
    backup: backupOf(cluster),
    placement: app.gpu
      ? { kind: "gpu" }
      : app.vpn
        ? { kind: "vpn", region: app.vpnRegion, clusterCidrs: [cluster.k3s.clusterCidr, cluster.k3s.serviceCidr] }
        : { kind: "any" },
  };
}

function backupOf(cluster: Cluster): HomelabAppProps["backup"] {
  const backups = appBackupsOf(cluster);
  return backups && { schedule: backups.schedule, retain: backups.retain };
}
