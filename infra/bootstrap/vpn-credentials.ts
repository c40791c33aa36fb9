// The gluetun credentials of VPN-routed apps: one Secret `vpn-<region>` per namespace and
// region in use, built by Terraform at apply time from the sensitive variable
// vpn_credentials (region → gluetun environment, e.g. VPN_SERVICE_PROVIDER, VPN_TYPE,
// WIREGUARD_PRIVATE_KEY, SERVER_COUNTRIES), and delivered like the other bootstrap secrets.
import type { Cluster } from "../../cluster/schema";
import { vpnSecretName } from "../../cluster/contract";

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

/**
 * The Terraform expression (HCL) that renders the Namespaces and Secrets as one base64
 * multi-document YAML. Only names from the validated spec go into it, never user text.
 */
export function vpnSecretsExpression(cluster: Cluster, variable: string): string {
  const targets = vpnCredentialTargets(cluster);
  // The labels of Argo CD's copy of the namespace (charts/namespaces.ts): both owners agree.
  const labels = `{"app.kubernetes.io/managed-by" = "homelab-synth", "pod-security.kubernetes.io/enforce" = "privileged", "pod-security.kubernetes.io/audit" = "privileged", "pod-security.kubernetes.io/warn" = "privileged"}`;
  const namespaces = [...new Set(targets.map((t) => t.namespace))].map(
    (ns) => `yamlencode({apiVersion = "v1", kind = "Namespace", metadata = {name = "${ns}", labels = ${labels}}})`,
  );
  const secrets = targets.map(
    (t) =>
      `yamlencode({apiVersion = "v1", kind = "Secret", type = "Opaque", metadata = {name = "${t.secretName}", namespace = "${t.namespace}"}, stringData = ${variable}["${t.region}"]})`,
  );
  return `\${base64encode(join("---\\n", [${[...namespaces, ...secrets].join(", ")}]))}`;
}
