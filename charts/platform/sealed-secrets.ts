// The sealed-secrets controller: it turns each SealedSecret of the rendered branch into its Secret,
// decrypting with the one key pair Terraform generated and the first server delivered at first
// boot (infra/sealing-key.ts, cluster/contract.ts sealingKey). It never makes a key of its own:
// it finds that one at start, and automatic renewal is off, so a rebuild from the same Terraform
// state decrypts every committed SealedSecret (docs/secrets.md).
import { sealingKey } from "../../cluster/contract";
import { chartVersion, type PlatformComponent } from "./component";
import { helmCharts } from "./versions";
import { noFacts, type UpstreamFacts, type Values } from "./upstream-facts";

export interface SealedSecretsProps {
  /** Chart version. @default the pinned one in versions.ts */
  readonly version?: string;
}

export function sealedSecrets(props: SealedSecretsProps = {}): PlatformComponent {
  return {
    name: "sealed-secrets",
    namespace: sealingKey.namespace,
    podSecurity: "restricted",
    dependsOn: [],
    helm: {
      chart: chartVersion(helmCharts.sealedSecrets, props.version),
      releaseName: "sealed-secrets",
      values: {
        // The Secret the controller looks up by name besides the active label (--key-prefix):
        // the one the bootstrap delivers (helm-v2.18.5 templates/deployment.yaml#L101-L102).
        secretName: sealingKey.name,
        // "0" turns automatic renewal off (values.yaml#L73-L79; the controller's
        // --key-renew-period, cmd/controller/main.go#L39 at v0.36.6): no key but Terraform's ever
        // exists, as long as the controller finds that one when it starts — it makes its own when it
        // finds none (pkg/controller/main.go#L146-L152), hence the key Secret from the first boot.
        keyrenewperiod: "0",
        // Nobody fetches the certificate from the cluster (it is committed): no Role that lets
        // every authenticated user proxy to the controller (values.yaml#L450-L464; templates/role.yaml#L36-L69, role-binding.yaml#L29-L53).
        rbac: { serviceProxier: { create: false } },
        // The restricted Pod Security level on top of the chart's defaults, which run as non-root
        // with a read-only root and no capabilities (values.yaml#L199-L219).
        podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false },
        resources: { requests: { cpu: "50m", memory: "64Mi" } },
      },
    },
    facts: sealedSecretsFacts,
    summary: `decrypts the SealedSecrets of the rendered branch with the Terraform-held key (Secret ${sealingKey.namespace}/${sealingKey.name}); key renewal off`,
  };
}

// Chart facts of sealed-secrets 2.18.5 (controller 0.36.6): bitnami-labs/sealed-secrets@helm-v2.18.5:helm/sealed-secrets/.
// The release name contains the chart's name, so every object is named "sealed-secrets" (templates/_helpers.tpl#L13-L24).
export const sealedSecretsFacts: UpstreamFacts = {
  upstream: "sealed-secrets",
  confirmedAt: "2.18.5",
  of: (values: Values, { namespace }) => ({
    ...noFacts,
    // templates/cluster-role.yaml#L1-L5 (rbac.clusterRoleName, values.yaml#L437), cluster-role-binding.yaml#L1-L5.
    objects: [
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: values.rbac?.clusterRoleName ?? "secrets-unsealer" },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: "sealed-secrets" },
    ],
    // crds/bitnami.com_sealedsecrets.yaml: served and stored v1alpha1.
    crds: [sealedSecretCrd],
    secretsFrom: [sealedSecretCrd],
    workloads: [
      {
        // templates/deployment.yaml#L38-L46: no affinity, node selector or tolerations by default (values.yaml#L241-L245).
        kind: "Deployment",
        name: "sealed-secrets",
        namespace,
        nodeSelector: values.nodeSelector ?? {},
        tolerations: values.tolerations ?? [],
        requests: values.resources?.requests ?? {},
        // Read once at start: with no Secret by this name or with the active label in its namespace
        // it generates a key of its own (pkg/controller/main.go#L69-L97, #L146-L152 at v0.36.6).
        secrets: [values.secretName ?? "sealed-secrets-key"],
      },
    ],
  }),
};

const sealedSecretCrd = { group: "bitnami.com", kind: "SealedSecret", versions: ["v1alpha1"] };
