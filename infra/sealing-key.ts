// The sealing key pair of the lab's SealedSecrets: an RSA 4096 key and a self-signed certificate
// (hashicorp/tls, the release infra/prebuilt-providers.ts pins), held in the Terraform state. The
// first server's user-data delivers both as the sealed-secrets controller's active key
// (bootstrap/secret-manifests.ts); the certificate is an output, which the README's apply steps
// write to cluster/sealing-cert.pem, where `npm run seal` encrypts with it. Controller key renewal
// is off (charts/platform/sealed-secrets.ts), so a rebuild from the same state decrypts every
// committed SealedSecret. Rotation is `terraform apply -replace` (docs/secrets.md).
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { SelfSignedCert } from "@cdktf/provider-tls/lib/self-signed-cert";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { sealingKey } from "../cluster/contract";
import { sealingCertificateBase64, sealingKeyBase64 } from "./bootstrap/secrets";

export interface SealingKeyProps {
  /** The lab's name, in the certificate's subject. */
  readonly labName: string;
}

/** The controller's own default (bitnami-labs/sealed-secrets@v0.36.6: cmd/controller/main.go#L35-L36): 4096 bits, valid 10 years. */
const rsaBits = 4096;
const validityHours = 10 * 365 * 24;

export class SealingKey extends Construct {
  /** Placeholder → Terraform expression, for UserDataSnippet. */
  readonly substitutions: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: SealingKeyProps) {
    super(scope, id);
    new TlsProvider(scope, "tls");
    // No prevent_destroy: rotating the key is `terraform apply -replace`, which it would refuse.
    const key = new PrivateKey(scope, "sealing_key", { algorithm: "RSA", rsaBits });
    const certificate = new SelfSignedCert(scope, "sealing_cert", {
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName: `sealed-secrets ${props.labName}` }],
      validityPeriodHours: validityHours,
      // It only encrypts session keys (RSA-OAEP); the controller's own certificates are CAs of
      // themselves, as this one (pkg/crypto/keys.go#L36-L62).
      allowedUses: ["key_encipherment"],
      isCaCertificate: true,
    });
    new TerraformOutput(scope, "sealing_certificate", {
      description: "The sealing certificate (public): write it to cluster/sealing-cert.pem and commit it; npm run seal encrypts with it.",
      value: certificate.certPem,
    });
    new TerraformOutput(scope, "sealing_key_manifest", {
      description: "The controller's key Secret, as the first server's bootstrap file holds it: for rotating the key on a running cluster (docs/secrets.md).",
      sensitive: true,
      value: Fn.yamlencode({
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name: sealingKey.name, namespace: sealingKey.namespace, labels: { ...sealingKey.activeLabel } },
        data: { "tls.crt": Fn.base64encode(certificate.certPem), "tls.key": Fn.base64encode(key.privateKeyPem) },
      }),
    });
    this.substitutions = new Map([
      [sealingKeyBase64.placeholder, Fn.base64encode(key.privateKeyPem)],
      [sealingCertificateBase64.placeholder, Fn.base64encode(certificate.certPem)],
    ]);
  }
}
