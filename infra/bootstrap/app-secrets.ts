// App secrets: the spec names them (apps[].secretEnv, names only), the sensitive Terraform
// variable app_secrets holds the values (app → NAME → value), and Terraform renders one Secret
// `<app>-secrets` per app at apply time, delivered by the first control plane's user-data like
// the VPN credentials. Validation refuses a missing or an undeclared name before anything is
// applied. Only names from the validated spec go into the expressions, never a value.
import type { Cluster } from "../../cluster/schema";
import { appSecretName } from "../../cluster/contract";
import { secretBundleExpression } from "./secret-bundle";

export interface AppSecretTarget {
  readonly app: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly names: readonly string[];
}

export function appSecretTargets(cluster: Cluster): AppSecretTarget[] {
  return cluster.apps
    .filter((a) => a.enabled && a.secretEnv.length)
    .map((a) => ({ app: a.name, namespace: a.namespace, secretName: appSecretName(a.name), names: [...a.secretEnv].sort() }))
    .sort((a, b) => (`${a.namespace}/${a.app}` < `${b.namespace}/${b.app}` ? -1 : 1)); // code units, not locale
}

/** "sonarr: API_KEY; sabnzbd: A, B", for descriptions and error messages. */
export function declaredSecrets(targets: readonly AppSecretTarget[]): string {
  return targets.map((t) => `${t.app}: ${t.names.join(", ")}`).join("; ");
}

/** Both directions of "the variable holds exactly the declared names", as Terraform validations. */
export function appSecretsValidation(targets: readonly AppSecretTarget[], variable: string): { condition: string; errorMessage: string }[] {
  const declared = JSON.stringify(targets.flatMap((t) => t.names.map((n) => `${t.app}/${n}`)));
  const listed = declaredSecrets(targets);
  const given = `flatten([for app, env in ${variable} : [for name in keys(env) : format("%s/%s", app, name)]])`;
  return [
    {
      condition: `\${length(setsubtract(${declared}, ${given})) == 0}`,
      errorMessage: `app_secrets needs every secret the apps declare in secretEnv: ${listed}.`,
    },
    {
      condition: `\${length(setsubtract(${given}, ${declared})) == 0}`,
      errorMessage: `app_secrets may hold only the apps and names that secretEnv declares: ${listed}.`,
    },
  ];
}

/**
 * The Terraform expression (HCL) that renders the Namespaces and Secrets (secret-bundle.ts).
 * Each Secret holds only its app's declared names.
 */
export function appSecretsExpression(cluster: Cluster, targets: readonly AppSecretTarget[], variable: string): string {
  return secretBundleExpression(
    cluster,
    targets.map((t) => ({
      name: t.secretName,
      namespace: t.namespace,
      stringData: `{for name in ${JSON.stringify(t.names)} : name => ${variable}["${t.app}"][name]}`,
    })),
  );
}
