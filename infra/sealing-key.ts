// The sealing key pair of the lab's SealedSecrets: an RSA 4096 key and a self-signed certificate
// (hashicorp/tls, the release infra/prebuilt-providers.ts pins), held in the Terraform state. The
// first server's user-data delivers both as the sealed-secrets controller's active key
// (bootstrap/secret-manifests.ts); the certificate is an output, which the README's apply steps
// write to cluster/sealing-cert.pem, where `npm run seal` encrypts with it. Controller key renewal
// is off (charts/platform/sealed-secrets.ts), so a rebuild from the same state decrypts every
// committed SealedSecret. Rotating the key: docs/secrets.md.
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { SelfSignedCert } from "@cdktf/provider-tls/lib/self-signed-cert";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { sealingCertificateBase64, sealingKeyBase64 } from "./bootstrap/secrets";
import { terraformTemplate } from "./terraform-names";

export interface SealingKeyProps {
  /** The lab's name, in the certificate's subject. */
  readonly labName: string;
  /** The first server's bootstrap file that delivers the key (sealing-key.yaml), with its placeholders. */
  readonly manifest: string;
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
    // The one secret nothing can make again: losing it loses every sealed value in git. So a plan
    // that would replace it fails (a changed rsaBits, a targeted destroy); a rotation forgets it
    // first (`terraform state rm`, docs/secrets.md), as the k3s tokens rotate. prevent_destroy
    // refuses -replace too: Terraform fails a plan whose action is Delete or any replace
    // (internal/terraform/node_resource_abstract_instance.go checkPreventDestroy).
    const key = new PrivateKey(scope, "sealing_key", { algorithm: "RSA", rsaBits, lifecycle: { preventDestroy: true } });
    // Replaced without anyone asking on a lab rename (the subject) or at expiry (hashicorp/tls
    // replaces an expired certificate at the next apply, docs "Automatic Renewal"): harmless, the
    // key stays and a value is sealed for the public key alone (scripts/lib/sealing/certificate.ts).
    const certificate = new SelfSignedCert(scope, "sealing_cert", {
      privateKeyPem: key.privateKeyPem,
      subject: [{ commonName: `sealed-secrets ${props.labName}` }],
      validityPeriodHours: validityHours,
      // It only encrypts session keys (RSA-OAEP). The controller's own certificates are CAs of
      // themselves without cert signing, as this one (pkg/crypto/keys.go#L36-L62: IsCA, KeyUsageEncipherOnly).
      allowedUses: ["key_encipherment"],
      isCaCertificate: true,
    });
    new TerraformOutput(scope, "sealing_certificate", {
      description: "The sealing certificate (public): write it to cluster/sealing-cert.pem and commit it; npm run seal encrypts with it.",
      value: certificate.certPem,
    });
    const substitutions = new Map([
      [sealingKeyBase64.placeholder, Fn.base64encode(key.privateKeyPem)],
      [sealingCertificateBase64.placeholder, Fn.base64encode(certificate.certPem)],
    ]);
    // The whole first-boot file, the Namespace included: k3s deletes what a changed file no longer
    // holds (bootstrap/k3s-facts.ts k3sNeverPruneLabel), so a rotation writes the same objects.
    new TerraformOutput(scope, "sealing_key_manifest", {
      description:
        "The first server's bootstrap file sealing-key.yaml (the controller's namespace and key Secret): for handing a running cluster a rotated key (docs/secrets.md).",
      sensitive: true,
      value: terraformTemplate(props.manifest, substitutions),
    });
    this.substitutions = substitutions;
  }
}
