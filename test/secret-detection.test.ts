// The "secret" rule of `npm run check` on crafted output files: every common form of a
// credential is found (known token formats through secretlint, our own key-context rules), the
// usual look-alikes are not, and no finding ever prints the value it found.
import { generateKeyPairSync } from "node:crypto";
import { scanForSecrets } from "../scripts/lib/check/secrets";
import { yamlText } from "../lib/yaml-text";

/** Random-looking text from a fixed seed (so no token-shaped literal sits in this file). */
function randomText(alphabet: string, length: number, seed: number): string {
  let state = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor((state / 2147483648) * alphabet.length)];
  }
  return out;
}
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const hex = "0123456789abcdef";
const apiKey = randomText(hex, 32, 7);
const githubToken = `ghp_${randomText(alnum, 36, 11)}`;
const slackToken = `xoxb-${randomText("0123456789", 12, 3)}-${randomText("0123456789", 13, 5)}-${randomText(alnum, 24, 9)}`;
const awsSecretKey = randomText(alnum, 40, 13);
const privateKey = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

const deployment = (env: { name: string; value: string }[]) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "sonarr", namespace: "media" },
  spec: { template: { spec: { containers: [{ name: "sonarr", image: "lscr.io/linuxserver/sonarr:4.0.15", env }] } } },
});
const application = (repoURL: string) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  metadata: { name: "root", namespace: "argocd" },
  spec: { source: { repoURL, path: "k8s", targetRevision: "rendered" } },
});
const manifest = (...objects: object[]) => objects.map((o) => yamlText(o)).join("---\n");
const tfJson = (body: object) => JSON.stringify(body, null, 2);

async function scan(file: string, text: string) {
  return scanForSecrets(file, text);
}

/** Every finding is a secret finding that does not contain the value (nor its first 6 characters). */
function expectMasked(findings: readonly object[], value: string) {
  const printed = JSON.stringify(findings);
  expect(printed).not.toContain(value.slice(0, 6));
}

describe("finds", () => {
  it("a password in env where key and value sit on separate name:/value: lines", async () => {
    const findings = await scan(
      "k8s/sonarr/manifests.yaml",
      manifest(
        deployment([
          { name: "TZ", value: "UTC" },
          { name: "PASSWORD", value: "hunter2" },
        ]),
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        file: "k8s/sonarr/manifests.yaml",
        object: expect.stringMatching(/^Deployment\/media\/sonarr#.*containers\[0\]\.env\[PASSWORD\]$/),
        rule: "secret",
      }),
    ]);
    expect(findings[0].message).toMatch(/PASSWORD/);
    expectMasked(findings, "hunter2");
  });

  it("a lowercase 32-hex API key next to a key-ish name, in env, in a config map and in plain text", async () => {
    const env = await scan("k8s/sonarr/manifests.yaml", manifest(deployment([{ name: "SONARR__AUTH__APIKEY", value: apiKey }])));
    expect(env.map((f) => f.object)).toEqual([expect.stringMatching(/env\[SONARR__AUTH__APIKEY\]$/)]);
    const configMap = await scan(
      "k8s/x/manifests.yaml",
      manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "media" }, data: { api_key: apiKey } }),
    );
    expect(configMap.map((f) => f.object)).toEqual(["ConfigMap/media/x#data.api_key"]);
    const text = await scan("docs/README.md", `# notes\n\nexport RADARR_API_KEY=${apiKey}\n`);
    expect(text).toEqual([expect.objectContaining({ object: "line 3", rule: "secret" })]);
    expectMasked([...env, ...configMap, ...text], apiKey);
  });

  it("user:password@ in an Application's repoURL and in the provider's endpoint", async () => {
    const repo = await scan("k8s/argocd-apps/manifests.yaml", manifest(application("https://alex:s3cretPass@github.com/alex/lab.git")));
    expect(repo.length).toBeGreaterThan(0);
    expect(repo.some((f) => f.object.startsWith("Application/argocd/root"))).toBe(true);
    const stack = await scan(
      "terraform/stacks/homelab/cdk.tf.json",
      tfJson({ provider: { proxmox: [{ endpoint: "https://root:pveRootPw1@10.10.10.10:8006/", insecure: true }] } }),
    );
    expect(stack.some((f) => f.object.includes("provider.proxmox[0].endpoint"))).toBe(true);
    expectMasked([...repo, ...stack], "s3cretPass");
    expectMasked(stack, "pveRootPw1");
  });

  it("a token as the user name of an https URL", async () => {
    const findings = await scan("k8s/argocd-apps/manifests.yaml", manifest(application(`https://${randomText(alnum, 40, 21)}@git.example.com/lab.git`)));
    expect(findings.map((f) => f.object)).toContain("Application/argocd/root#spec.source.repoURL");
  });

  it.each([
    ["a GitHub token", `github: ${githubToken}\n`, githubToken],
    ["a Slack token", `notify: ${slackToken}\n`, slackToken],
    ["an AWS secret access key", `AWS_SECRET_ACCESS_KEY=${awsSecretKey}\n`, awsSecretKey],
    ["a PEM private key", privateKey, privateKey.split("\n")[1]],
  ])("%s (secretlint)", async (_what, text, value) => {
    const findings = await scan("docs/README.md", `# notes\n${text}`);
    expect(findings).toEqual([
      expect.objectContaining({ file: "docs/README.md", rule: "secret", object: "line 2", message: expect.stringMatching(/secretlint/) }),
    ]);
    expectMasked(findings, value);
  });

  it("a Proxmox API token", async () => {
    const findings = await scan("docs/README.md", "token ansible-user@pve!ansible-automation=0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9\n");
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringMatching(/Proxmox API token/) })]);
    expectMasked(findings, "0f1e2d3c-4b5a");
  });

  it("a literal in cloud-init user-data embedded in the Terraform JSON", async () => {
    const userData = `#cloud-config\nwrite_files:\n  - path: /etc/app.yaml\n    content: |\n      db:\n        password: hunter2hunter2\n`;
    const findings = await scan(
      "terraform/stacks/homelab/cdk.tf.json",
      tfJson({ resource: { proxmox_virtual_environment_file: { f: { source_raw: { data: userData } } } } }),
    );
    expect(findings.map((f) => f.object)).toEqual(["resource.proxmox_virtual_environment_file.f.source_raw.data > write_files[0].content > db.password"]);
    expectMasked(findings, "hunter2");
  });
});

describe("does not flag", () => {
  const sha256 = randomText(hex, 64, 17);
  const commit = randomText(hex, 40, 19);
  it.each([
    ["checksum fields", "terraform/stacks/homelab/cdk.tf.json", tfJson({ resource: { f: { img: { checksum: sha256, checksum_algorithm: "sha256" } } } })],
    ["a commit SHA", "docs/README.md", `Rendered from commit ${commit}.\n\ntargetRevision: ${commit}\nrevision=${commit}\n`],
    [
      "image digests",
      "k8s/a/manifests.yaml",
      manifest({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "a", namespace: "b" },
        spec: { containers: [{ name: "a", image: `ghcr.io/a/b:1.2.3@sha256:${sha256}` }] },
      }),
    ],
    [
      "public SSH keys",
      "bootstrap/a.user-data.yaml",
      `#cloud-config\nusers:\n  - name: a\n    ssh_authorized_keys:\n      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcZv9BBMCkJholIugp9S65qMGNoSJg8ESHuzI+xcATl me@laptop\n`,
    ],
    [
      "Terraform references",
      "terraform/stacks/homelab/cdk.tf.json",
      tfJson({
        provider: { proxmox: [{ api_token: "${var.proxmox_api_token}" }] },
        resource: { f: { g: { source_raw: { data: "token: '${random_password.k3s_token.result}'\npassword: ${var.pw}\n" } } } },
      }),
    ],
    [
      "Secret references and names",
      "k8s/a/manifests.yaml",
      manifest(deployment([{ name: "X", valueFrom: { secretKeyRef: { name: "cloudflare-api-token", key: "api-token" } } } as never]), {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c", namespace: "b" },
        data: { existingSecret: "argocd-secret", tokenSecretRef: "x", secretName: "wildcard-tls-2024" },
      }),
    ],
    [
      "toleration and label keys",
      "k8s/a/manifests.yaml",
      manifest({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "a", namespace: "b" },
        spec: {
          tolerations: [
            { key: "node.longhorn.io/create-default-disk", operator: "Exists" },
            { key: "nvidia.com/gpu", operator: "Exists" },
            // Random-looking by its shape (digits, letters, length), a label key by its form.
            { key: "homelab.dev/k3s-version2x", operator: "Exists" },
          ],
        },
      }),
    ],
    [
      "described placeholders",
      "bootstrap/a.user-data.yaml",
      "token: '<k3s join token: random_password.k3s_token, set by terraform apply>'\nlock_passwd: true\nsudo: ALL=(ALL) NOPASSWD:ALL\n",
    ],
  ])("%s", async (_what, file, text) => {
    expect(await scan(file, text)).toEqual([]);
  });
});
