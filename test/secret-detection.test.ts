// The "secret" rule of `npm run check` on crafted output files: every common form of a
// credential is found (known token formats through secretlint, our own key-context rules), the
// usual look-alikes are not, and no finding ever prints the value it found.
import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { knownSecrets, mayHoldKnownSecret } from "../cluster/known-secret-formats";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { scanForSecrets } from "../scripts/lib/check/secrets";
import { yamlText } from "../lib/yaml-text";
import { overlayReference, referenceSpec } from "./helpers/spec-fixture";
import { alnum, hex, knownFormatSamples, randomText } from "./helpers/secret-samples";
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

describe("known formats: secretlint's preset, run synchronously for the spec, check, publish and the hook", () => {
  const preset = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

  it.each(knownFormatSamples)("%s: found as secretlint's own lintSource finds it, and never skipped by the prefilter", async (_what, secret, rule) => {
    const text = `config:\n  value: ${secret.replace(/\n/g, "\n    ")}\n`;
    const theirs = await lintSource({
      source: { filePath: "x.yaml", content: text, contentType: "text", ext: ".yaml" },
      options: { config: preset, noPhysicFilePath: true },
    });
    const ours = knownSecrets(text, "x.yaml");
    expect(ours.map((f) => `${f.rule}:${f.messageId}`)).toEqual(
      theirs.messages.map((m) => `${m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "")}:${m.messageId}`),
    );
    expect(ours.map((f) => f.rule)).toEqual([rule]);
    expect(mayHoldKnownSecret(text)).toBe(true);
  });

  it("the reference lab's spec holds no text that would even load the preset", () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml"));
    expect(strings.filter(mayHoldKnownSecret)).toEqual([]);
  });

  it.each(knownFormatSamples)("%s in an app's env (as the spec renders it) is found by check", (_what, secret) => {
    const findings = scanForSecrets("k8s/sonarr/manifests.yaml", manifest(deployment([{ name: "NOTIFY", value: secret }])));
    expect(findings.length).toBeGreaterThan(0);
    expectMasked(findings, secret.slice(-12));
  });
});

describe("key rules: suffixed, abbreviated and token names, stand-ins that are no stand-ins", () => {
  const random = randomText(alnum, 32, 41);
  const configMap = (data: Record<string, string>) => manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "media" }, data });
  it.each([
    ["a random value under API_TOKEN (env)", manifest(deployment([{ name: "API_TOKEN", value: random }]))],
    ["a random value under token (ConfigMap)", configMap({ token: random })],
    ["a random value under GITEA_TOKEN (ConfigMap)", configMap({ GITEA_TOKEN: random })],
    ["a literal under DB_PASSWORD2", manifest(deployment([{ name: "DB_PASSWORD2", value: "hunter2hunter2" }]))],
    ["a literal under ADMIN_PW", manifest(deployment([{ name: "ADMIN_PW", value: "hunter2hunter2" }]))],
    ["64 hex characters under SECRET_KEY_BASE", manifest(deployment([{ name: "SECRET_KEY_BASE", value: randomText(hex, 64, 43) }]))],
    ["base64 of password=…", configMap({ settings: Buffer.from("user=admin\npassword=hunter2hunter2\n").toString("base64") })],
    ["an access_token in a URL's query", configMap({ webhook: `https://api.example.com/hook?access_token=${random}` })],
    ["a random value after a ${…} reference", manifest(deployment([{ name: "API_TOKEN", value: `\${x}${random}` }]))],
    ["a random value in angle brackets", manifest(deployment([{ name: "API_TOKEN", value: `<${random}>` }]))],
  ])("%s", (_what, text) => {
    const findings = scanForSecrets("k8s/x/manifests.yaml", text);
    expect(findings).toEqual([expect.objectContaining({ rule: "secret" })]);
    expectMasked(findings, random);
  });

  it("a SealedSecret's ciphertext is no finding (it is meant to be published)", () => {
    // As kubeseal writes it: per key, base64 of (RSA-OAEP length, RSA-OAEP(sha256) of a session key, AES-256-GCM of the value).
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const seal = (plaintext: string) => {
      const sessionKey = randomBytes(32);
      const rsa = publicEncrypt({ key: publicKey, oaepHash: "sha256", padding: constants.RSA_PKCS1_OAEP_PADDING }, sessionKey);
      const aes = createCipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12));
      const sealed = Buffer.concat([aes.update(plaintext), aes.final(), aes.getAuthTag()]);
      return Buffer.concat([Buffer.from([rsa.length >> 8, rsa.length & 255]), rsa, sealed]).toString("base64");
    };
    const sealedSecret = {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "sonarr-secrets", namespace: "media" },
      spec: {
        encryptedData: { password: seal("hunter2hunter2"), DB_PASSWORD: seal("x"), API_TOKEN: seal(random), SECRET_KEY_BASE: seal(randomText(hex, 64, 3)) },
        template: { metadata: { name: "sonarr-secrets", namespace: "media" }, type: "Opaque" },
      },
    };
    expect(scanForSecrets("k8s/sonarr/manifests.yaml", manifest(sealedSecret))).toEqual([]);
    // The same keys with plain values in a Secret-like object are findings.
    expect(scanForSecrets("k8s/sonarr/manifests.yaml", configMap({ password: "hunter2hunter2" })).length).toBe(1);
  });
});

describe("the spec refuses a secret in any string, naming the field and never the value", () => {
  const refusal = (set: Record<string, unknown>) => {
    try {
      parseCluster(overlayReference(set), "homelab.yaml");
    } catch (error) {
      if (error instanceof SpecError) return error.message;
      throw error;
    }
    return undefined;
  };
  const sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcZv9BBMCkJholIugp9S65qMGNoSJg8ESHuzI+xcATl";

  it.each(knownFormatSamples)("%s as an app's env value", (_what, secret) => {
    const message = refusal({ "apps.1.env.NOTIFY": secret });
    expect(message).toMatch(/apps\[1\]\.env\.NOTIFY: holds (what looks like \w+ \(secretlint rule [\w-]+\)|a user name and password inside a URL)/);
    expect(message).not.toContain(secret.slice(-12));
  });

  it.each([
    ["an SSH key's comment", "ssh.authorizedKeys.0", `${sshKey} ${knownFormatSamples[0][1]}`, "ssh.authorizedKeys[0]"],
    ["a GPU's model", "proxmox.nodes.0.gpus.0.model", `RTX ${knownFormatSamples[0][1]}`, "proxmox.nodes[0].gpus[0].model"],
    ["an app's mount", "apps.1.mounts.0", `/data/${knownFormatSamples[0][1]}`, "apps[1].mounts[0]"],
  ])("a GitHub token in %s", (_what, field, value, shown) => {
    const message = refusal({ [field]: value });
    expect(message).toContain(`${shown}: holds what looks like GITHUB_TOKEN`);
    expect(message).not.toContain(knownFormatSamples[0][1].slice(-12));
  });

  const random = randomText(alnum, 32, 47);
  it.each([
    ["DB_PASSWORD2", "hunter2hunter2"],
    ["ADMIN_PW", "hunter2hunter2"],
    ["SECRET_KEY_BASE", randomText(hex, 64, 45)],
    ["API_TOKEN", random],
    ["GITEA_TOKEN", `\${x}${random}`],
    ["SETTINGS", Buffer.from("password=hunter2hunter2\n").toString("base64")],
    ["WEBHOOK", `https://api.example.com/hook?access_token=${random}`],
  ])("env %s", (name, value) => {
    const message = refusal({ [`apps.1.env.${name}`]: value });
    expect(message).toMatch(new RegExp(`apps\\[1\\]\\.env\\.${name}: holds `));
    expect(message).not.toContain(value.slice(-10));
  });

  it("messages never repeat a token used as a key, a YAML tag or an alias name", () => {
    const token = knownFormatSamples[0][1];
    const reference = readFileSync(referenceSpec, "utf8");
    const specs = [
      `${token}: 1\n${reference}`,
      reference.replace(/^apps:\n/m, `apps:\n  - name: x\n    image: a/b:1.0.0\n    port: 80\n    env: { ${token}: x }\n`),
      reference.replace(/^domain: (.*)$/m, `domain: !${token} $1`),
      reference.replace(/^domain: (.*)$/m, `domain: *${token}`),
      `${reference}\nextra: { ${token.slice(0, 10)}${random}: 1 }\n`,
    ];
    for (const text of specs) {
      let message = "";
      try {
        parseCluster(text, "homelab.yaml");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain(token.slice(4, 16));
      expect(message).not.toContain(random.slice(0, 12));
    }
  });
});

describe("the spec and check agree", () => {
  it.each([
    ["a Proxmox API token", "ansible@pve!automation=0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"],
    ["a password line inside a multi-line value", "line one\npassword: hunter2hunter2\n"],
    ["a password pair inside a one-line value", "--user=admin --password=hunter2hunter2"],
  ])("%s in an env value: the spec refuses it, and check flags it", (_what, value) => {
    expect(() => parseCluster(overlayReference({ "apps.1.env.NOTES": value }), "homelab.yaml")).toThrow(/apps\[1\]\.env\.NOTES: holds /);
    expect(scanForSecrets("k8s/sonarr/manifests.yaml", manifest(deployment([{ name: "NOTES", value }]))).length).toBeGreaterThan(0);
  });
});
