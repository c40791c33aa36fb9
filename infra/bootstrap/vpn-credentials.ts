// The gluetun credentials of VPN-routed apps: one Secret `vpn-<region>` per namespace and
// region in use, built by Terraform at apply time from the sensitive variable
// vpn_credentials (region → gluetun environment, e.g. VPN_SERVICE_PROVIDER, VPN_TYPE,
// WIREGUARD_PRIVATE_KEY, SERVER_COUNTRIES), and delivered like the other bootstrap secrets.
import type { Cluster } from "../../cluster/schema";
import { vpnSecretName } from "../../cluster/contract";
import { secretBundleExpression } from "./secret-bundle";

export interface VpnCredentialTarget {
  readonly namespace: string;
  readonly region: string;
  readonly secretName: string;
}

export function vpnCredentialTargets(cluster: Cluster): VpnCredentialTarget[] {
  const targets = new Map<string, VpnCredentialTarget>();
  for (const app of cluster.apps.filter((a) => a.enabled && a.vpn)) {
    const region = app.vpnRegion ?? "default";
    targets.set(`${app.namespace}/${region}`, { namespace: app.namespace, region, secretName: vpnSecretName(app.vpnRegion) });
  }
  // Code-unit order, not localeCompare: the output must not depend on the machine's locale.
  return [...targets.keys()].sort().map((key) => targets.get(key)!);
}

/** The Terraform expression (HCL) that renders the Namespaces and Secrets (secret-bundle.ts). */
export function vpnSecretsExpression(cluster: Cluster, targets: readonly VpnCredentialTarget[], variable: string): string {
  return secretBundleExpression(
    cluster,
    targets.map((t) => ({ name: t.secretName, namespace: t.namespace, stringData: `${variable}["${t.region}"]` })),
  );
}
