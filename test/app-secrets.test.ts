// App secrets, the one supported way: the spec names them (apps[].secretEnv), the sensitive
// Terraform variable app_secrets holds the values, Terraform renders them into a Secret that the
// first control plane's user-data delivers (like vpn_credentials), and the Deployment takes it
// with envFrom. The Terraform side runs in the real terraform (validation and expression).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import type { Cluster } from "../cluster/schema";
import { renderApplications } from "../charts/k8s-app";
import { describeSecrets } from "../infra/bootstrap/secrets";
import { synthTerraform } from "../infra/terraform-app";
import { renderUserData } from "../infra/user-data";
import { runCheck } from "../scripts/lib/check/run-check";
import { synthesize } from "../scripts/lib/synthesize";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const withSecrets = parseCluster(
  overlayReference({ "apps.1.secretEnv": ["SONARR__AUTH__APIKEY"], "apps.4.secretEnv": ["SABNZBD_API_KEY", "SABNZBD_NZB_KEY"] }),
  "secrets.yaml",
);
let n = 0;
const stackOf = (c: Cluster) => {
  const outdir = scratch(`app-secrets-tf-${n++}`);
  synthTerraform(c, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  return JSON.parse(readFileSync(join(outdir, "stacks", c.name, "cdk.tf.json"), "utf8"));
};
const writeFiles = (c: Cluster, vm: string) =>
  (
    parse(
      renderUserData(
        c,
        c.vms.find((v) => v.name === vm)!,
      ),
    ) as any
  ).write_files as any[];
const appSecretsFile = (c: Cluster, vm: string) => writeFiles(c, vm).find((f) => f.path === "/var/lib/rancher/k3s/server/manifests/app-secrets.yaml");

describe("the spec refuses literal secrets and names the supported way", () => {
  it("never echoes the value it refuses", () => {
    let error: unknown;
    try {
      parseCluster(overlayReference({ "apps.1.env": { PASSWORD: "hunter2" } }), "leak.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(/^leak\.yaml:\d+: apps\[1\]\.env\.PASSWORD: holds a literal password.*Fix: .*apps\[1\]\.secretEnv.*app_secrets/);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("accepts plain values that only look a little like secrets", () => {
    const env = {
      PUID: "1000",
      TOKEN_TTL: "1h",
      SECRET_NAME: "sonarr-config",
      API_KEY_FILE: "/run/secrets/api-key",
      CHECKSUM_SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      GIT_COMMIT: "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
      REPO: "ssh://git@github.com/alex/lab.git",
    };
    expect(parseCluster(overlayReference({ "apps.1.env": env }), "look-alikes.yaml").apps[1].env).toEqual(env);
  });
});

describe("an app's secretEnv", () => {
  const stack = stackOf(withSecrets);
  const firstSnippet = Object.values<any>(stack.resource.proxmox_virtual_environment_file).find((s) => s.source_raw.file_name === "k3s-master-1.user-data.yaml")
    .source_raw.data as string;

  it("declares the sensitive variable app_secrets, validated against every declared name", () => {
    expect(stack.variable.app_secrets).toMatchObject({ type: "map(map(string))", sensitive: true, nullable: false });
    expect(stack.variable.app_secrets.description).toMatch(/sabnzbd: SABNZBD_API_KEY, SABNZBD_NZB_KEY; sonarr: SONARR__AUTH__APIKEY/);
  });

  it("is delivered by the first control plane only, as a 0600 manifest k3s applies itself", () => {
    expect(appSecretsFile(withSecrets, "k3s-master-1")).toMatchObject({ encoding: "b64", content: "@@APP_SECRETS_BASE64@@", permissions: "0600" });
    for (const vm of withSecrets.vms.slice(1)) expect(appSecretsFile(withSecrets, vm.name)).toBeUndefined();
    expect(describeSecrets(renderUserData(withSecrets, withSecrets.vms[0]))).toContain(
      "<base64 of the <app>-secrets Secrets built from var.app_secrets, set by terraform apply>",
    );
    expect(firstSnippet).toContain("var.app_secrets");
  });

  it("reaches the app's container through envFrom, and nothing else changes in its manifests", () => {
    const deployment = (c: Cluster, app: string) =>
      renderApplications(c)
        .get(app)!
        .find((o) => o.kind === "Deployment");
    const withEnv = deployment(withSecrets, "sonarr");
    const container = withEnv.spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: "sonarr-secrets" } }]);
    const plain = deployment(reference, "sonarr");
    expect(plain.spec.template.spec.containers[0].envFrom).toBeUndefined();
    delete container.envFrom;
    expect(withEnv).toEqual(plain);
  });

  it("passes npm run check: the output holds names and references, no value", async () => {
    const dir = scratch("app-secrets-check");
    const clusterFile = join(dir, "secrets.yaml");
    writeFileSync(clusterFile, overlayReference({ "apps.1.secretEnv": ["SONARR__AUTH__APIKEY"], "apps.4.secretEnv": ["SABNZBD_API_KEY", "SABNZBD_NZB_KEY"] }));
    synthesize({ clusterFile, outDir: join(dir, "dist"), root });
    const report = await runCheck(withSecrets, join(dir, "dist"), root);
    expect(report.findings.filter((f) => f.rule === "secret" || f.rule === "reference")).toEqual([]);
  });

  it("adds nothing to a lab whose apps declare no secrets", () => {
    const plain = stackOf(reference);
    expect(plain.variable.app_secrets).toBeUndefined();
    for (const vm of reference.vms) expect(appSecretsFile(reference, vm.name)).toBeUndefined();
  });

  describe("in the real terraform", () => {
    const dir = scratch("app-secrets-terraform");
    // The variable exactly as synthesized, and the Secret text exactly as the first snippet embeds it.
    beforeAll(() => {
      const expression = /content: '(\$\{base64encode\(join\([^']*var\.app_secrets[^']*\)\)\})'/.exec(firstSnippet)?.[1];
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({ variable: { app_secrets: stack.variable.app_secrets }, locals: { app_secrets_yaml: expression } }),
      );
    });
    const consoleWith = (secrets: string, input: string) =>
      spawnSync("terraform", ["console", "-no-color"], {
        cwd: dir,
        input,
        encoding: "utf8",
        env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1", TF_VAR_app_secrets: secrets },
      });
    const complete = '{sonarr = {SONARR__AUTH__APIKEY = "k1"}, sabnzbd = {SABNZBD_API_KEY = "k2", SABNZBD_NZB_KEY = "k3"}}';

    it("renders a Namespace and one Secret per app, holding only the declared names", () => {
      const result = consoleWith(complete, "nonsensitive(base64decode(local.app_secrets_yaml))\n");
      expect(result.stderr).toBe("");
      // The console prints a multi-line string as a heredoc.
      const text = result.stdout.replace(/^<<EOT\n/, "").replace(/\nEOT\n?$/, "");
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      expect(docs).toEqual([
        {
          apiVersion: "v1",
          kind: "Namespace",
          // The labels of Argo CD's copy (dist/k8s/namespaces): both owners of the Namespace agree.
          metadata: {
            name: "media",
            labels: {
              "app.kubernetes.io/managed-by": "homelab-synth",
              "pod-security.kubernetes.io/enforce": "privileged",
              "pod-security.kubernetes.io/audit": "privileged",
              "pod-security.kubernetes.io/warn": "privileged",
            },
          },
        },
        {
          apiVersion: "v1",
          kind: "Secret",
          type: "Opaque",
          metadata: { name: "sabnzbd-secrets", namespace: "media" },
          stringData: { SABNZBD_API_KEY: "k2", SABNZBD_NZB_KEY: "k3" },
        },
        {
          apiVersion: "v1",
          kind: "Secret",
          type: "Opaque",
          metadata: { name: "sonarr-secrets", namespace: "media" },
          stringData: { SONARR__AUTH__APIKEY: "k1" },
        },
      ]);
    });

    it.each([
      ["a missing name", '{sonarr = {SONARR__AUTH__APIKEY = "k1"}, sabnzbd = {SABNZBD_API_KEY = "k2"}}', /app_secrets needs every secret the apps declare/],
      ["a missing app", '{sonarr = {SONARR__AUTH__APIKEY = "k1"}}', /app_secrets needs every secret the apps declare/],
      [
        "an undeclared name (a typo)",
        '{sonarr = {SONARR__AUTH__APIKEY = "k1", SONAR_EXTRA = "x"}, sabnzbd = {SABNZBD_API_KEY = "k2", SABNZBD_NZB_KEY = "k3"}}',
        /only the apps and names that secretEnv declares/,
      ],
    ])("refuses %s", (_what, secrets, message) => {
      const result = consoleWith(secrets, "1\n");
      expect(result.stderr.replace(/\s+/g, " ")).toMatch(message);
      expect(result.stderr).not.toMatch(/k1|k2|k3/);
    });
  });
});
