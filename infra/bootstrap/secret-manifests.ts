// The bootstrap files that deliver Secrets (values only as placeholders Terraform fills in at
// apply time, bootstrap/secrets.ts): the Cloudflare token for cert-manager and external-dns,
// Grafana's admin login, and Argo CD's credentials for a private rendered repository. A
// namespace is created here too when the Secret arrives before Argo CD creates it; it is
// rendered with the same function and labels as Argo CD's copy, so both owners agree.
import type { Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Cluster } from "../../cluster/schema";
import { bootstrapSecretNames, namespaces } from "../../cluster/contract";
import { platformComponent } from "../../charts/platform";
import { namespace } from "../../charts/namespaces";
import { cloudflareTokenBase64, gitopsRepoTokenBase64, grafanaAdminPasswordBase64 } from "./secrets";
import { kubeObject } from "../../lib/kube-object";

export type SecretFiles = [name: string, build: (chart: Chart) => void][];

export function secretManifests(cluster: Cluster): SecretFiles {
  const files: SecretFiles = [];
  const p = cluster.platform;
  if (cloudflareTokenBase64.inUse(cluster)) {
    files.push([
      "cloudflare-api-token",
      (chart) => {
        for (const owner of (["certManager", "externalDns"] as const).filter((key) => p[key].enabled).map((key) => platformComponent(cluster, key)!)) {
          namespace(chart, owner.namespace, owner.podSecurity);
          kubeObject(k8s.KubeSecret, chart, `secret-${owner.namespace}`, {
            metadata: { name: bootstrapSecretNames.cloudflare.name, namespace: owner.namespace },
            type: "Opaque",
            data: { [bootstrapSecretNames.cloudflare.key]: cloudflareTokenBase64.placeholder },
          });
        }
      },
    ]);
  }
  if (grafanaAdminPasswordBase64.inUse(cluster)) {
    files.push([
      "grafana-admin",
      (chart) => {
        const owner = platformComponent(cluster, "victoriaMetrics")!;
        const names = bootstrapSecretNames.grafanaAdmin;
        namespace(chart, owner.namespace, owner.podSecurity);
        kubeObject(k8s.KubeSecret, chart, "secret", {
          metadata: { name: names.name, namespace: owner.namespace },
          type: "Opaque",
          stringData: { [names.userKey]: "admin" },
          data: { [names.passwordKey]: grafanaAdminPasswordBase64.placeholder },
        });
      },
    ]);
  }
  if (gitopsRepoTokenBase64.inUse(cluster)) {
    // argo-cd@v3.4.4:docs/operator-manual/declarative-setup.md ("Repositories"): a labelled Secret
    // in Argo CD's namespace with the exact URL the Applications use (Argo CD follows no redirects).
    // The namespace comes with the argocd HelmChart; k3s retries this file until it exists.
    files.push([
      "gitops-repository",
      (chart) => {
        kubeObject(k8s.KubeSecret, chart, "secret", {
          metadata: {
            name: bootstrapSecretNames.gitopsRepository.name,
            namespace: namespaces.argocd,
            labels: { "argocd.argoproj.io/secret-type": "repository" },
          },
          type: "Opaque",
          stringData: { type: "git", url: cluster.gitops.repoUrl, username: cluster.gitops.username },
          data: { password: gitopsRepoTokenBase64.placeholder },
        });
      },
    ]);
  }
  return files;
}
