// The bootstrap files that deliver Secrets (values only as placeholders Terraform fills in at
// apply time, bootstrap/secrets.ts): the sealing key pair the sealed-secrets controller decrypts
// with, and Argo CD's credentials for a private rendered repository. Both are needed before Argo
// CD syncs anything; every other Secret is sealed in git (charts/sealed/). The controller's
// namespace is created here too, with the same function and labels as Argo CD's copy, so both
// owners agree, plus k3s's label that keeps it should a later version of the file lack it.
import type { Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import type { Cluster } from "../../cluster/schema";
import { namespaces, sealingKey, secretNames } from "../../cluster/contract";
import { platformComponent } from "../../charts/platform";
import { namespace } from "../../charts/namespaces";
import { gitopsRepoTokenBase64, sealingCertificateBase64, sealingKeyBase64 } from "./secrets";
import { kubeObject } from "../../lib/kube-object";
import { k3sNeverPruneLabel } from "./k3s-facts";

export type SecretFiles = [name: string, build: (chart: Chart) => void][];

/** The file holding the sealing key (sealing-key.yaml), which a key rotation writes again whole (infra/sealing-key.ts). */
export const sealingKeyFile = "sealing-key";

export function secretManifests(cluster: Cluster): SecretFiles {
  const files: SecretFiles = [];
  if (sealingKeyBase64.inUse(cluster)) {
    files.push([
      sealingKeyFile,
      (chart) => {
        const owner = platformComponent(cluster, "sealedSecrets")!;
        const ns = namespace(chart, owner.namespace, owner.podSecurity);
        for (const [key, value] of Object.entries(k3sNeverPruneLabel)) ns.metadata.addLabel(key, value);
        // The controller's own key Secrets have this shape (bitnami-labs/sealed-secrets@v0.36.6:
        // pkg/controller/keys.go#L56-L104): the active label, type kubernetes.io/tls, the key
        // (PKCS#1 PEM, what tls_private_key writes for RSA) and the certificate. It reads them at
        // start (main.go#L69-L97) and generates none while one exists (#L146-L152).
        kubeObject(k8s.KubeSecret, chart, "secret", {
          metadata: { name: sealingKey.name, namespace: owner.namespace, labels: { ...sealingKey.activeLabel } },
          type: "kubernetes.io/tls",
          data: { "tls.crt": sealingCertificateBase64.placeholder, "tls.key": sealingKeyBase64.placeholder },
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
            name: secretNames.gitopsRepository.name,
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
