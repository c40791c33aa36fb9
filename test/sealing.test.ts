// Secrets by commit: `npm run seal` encrypts exactly as the sealed-secrets controller decrypts
// (checked against a reading of upstream's Go code, test/helpers/unseal.ts, not our encryptor
// backwards), synth renders the stored ciphertext, and check validates what it renders.
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { parseAllDocuments } from "yaml";
import { SpecError } from "../cluster/problems";
import { readYaml } from "../scripts/lib/read-yaml";
import { looksSealed } from "../scripts/lib/sealing/ciphertext-shape";
import { isExpired, keyFingerprint, parseSealingCertificate } from "../scripts/lib/sealing/certificate";
import { sealValue } from "../scripts/lib/sealing/hybrid-encrypt";
import { runCheck } from "../scripts/lib/check/run-check";
import { scanForSecrets } from "../scripts/lib/check/secrets";
import { synthesize } from "../scripts/lib/synthesize";
import { loadLab } from "../scripts/lib/lab";
import { sealCli } from "../scripts/lib/sealing/seal-cli";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { renewedCertificate, throwawaySealingKey } from "./helpers/sealing-key";
import { runScript, scratch } from "./helpers/tree";
import { unseal } from "./helpers/unseal";

const key = throwawaySealingKey();
const publicKey = new X509Certificate(key.certificatePem).publicKey;
const sealedSecret = (namespace: string, name: string, data: Record<string, string>, annotations?: Record<string, string>) => ({
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec: { encryptedData: data },
});

describe("a sealed value is what the controller decrypts (upstream's HybridDecrypt and Unseal)", () => {
  const value = Buffer.from("s3cret-api-key ünïcode");
  const sealed = sealValue(publicKey, value, "media", "sonarr-secrets");

  it("decrypts to the value, as the Secret it was sealed for", () => {
    expect(unseal(sealedSecret("media", "sonarr-secrets", { API_KEY: sealed }), key.privateKey).API_KEY).toEqual(value);
  });

  it.each([
    ["another namespace", sealedSecret("tv", "sonarr-secrets", { API_KEY: sealed })],
    ["another name", sealedSecret("media", "radarr-secrets", { API_KEY: sealed })],
    ["a namespace-wide SealedSecret", sealedSecret("media", "sonarr-secrets", { API_KEY: sealed }, { "sealedsecrets.bitnami.com/namespace-wide": "true" })],
  ])("does not decrypt as %s (strict scope)", (_what, object) => {
    expect(() => unseal(object, key.privateKey)).toThrow();
  });

  it("decrypts with an RSA 4096 key, the size Terraform makes (2 + 512 + value + 16 bytes)", () => {
    const pair = generateKeyPairSync("rsa", { modulusLength: 4096 });
    const sealed4096 = sealValue(pair.publicKey, value, "media", "sonarr-secrets");
    expect(Buffer.from(sealed4096, "base64").length).toBe(2 + 512 + value.length + 16);
    expect(unseal(sealedSecret("media", "sonarr-secrets", { API_KEY: sealed4096 }), pair.privateKey).API_KEY).toEqual(value);
  });

  it("reads base64 as Go's StdEncoding does (line breaks skipped, nothing else), and no template data it cannot render", () => {
    const wrapped = sealed.replace(/(.{76})/g, "$1\r\n");
    expect(unseal(sealedSecret("media", "sonarr-secrets", { API_KEY: wrapped }), key.privateKey).API_KEY).toEqual(value);
    expect(() => unseal(sealedSecret("media", "sonarr-secrets", { API_KEY: `${sealed.slice(0, 8)} ${sealed.slice(8)}` }), key.privateKey)).toThrow(
      /illegal base64/,
    );
    const templated = { ...sealedSecret("media", "sonarr-secrets", {}), spec: { encryptedData: {}, template: { data: { url: "{{ .API_KEY }}" } } } };
    expect(() => unseal(templated, key.privateKey)).toThrow(/template actions/);
  });

  it("is fresh each time (a new session key), and only ever looks like ciphertext", () => {
    const again = sealValue(publicKey, value, "media", "sonarr-secrets");
    expect(again).not.toBe(sealed);
    expect(looksSealed(sealed) && looksSealed(again)).toBe(true);
    for (const plain of ["s3cret-api-key", "a".repeat(400), Buffer.alloc(600, 7).toString("base64"), `${sealed.slice(0, -4)}!!!!`])
      expect(looksSealed(plain)).toBe(false);
  });
});

describe("the sealing certificate", () => {
  it("is read as kubeseal reads it: an RSA certificate, refused once expired", () => {
    const certificate = parseSealingCertificate(key.certificatePem, "cert.pem");
    if ("problem" in certificate) throw new Error(certificate.problem);
    expect(certificate.fingerprint).toBe(new X509Certificate(key.certificatePem).fingerprint256);
    // The key's fingerprint as docs/secrets.md has openssl print it.
    const spki = execFileSync("openssl", ["x509", "-noout", "-pubkey"], { input: key.certificatePem });
    const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "DER"], { input: spki });
    expect(certificate.keyFingerprint).toBe(
      execFileSync("openssl", ["dgst", "-sha256", "-c"], { input: der, encoding: "utf8" }).trim().split("= ")[1].toUpperCase(),
    );
    expect(isExpired(certificate)).toBe(false);
    expect(isExpired(certificate, new Date(Date.now() + 3 * 24 * 3600 * 1000))).toBe(true);
    expect(parseSealingCertificate("not a certificate", "cluster/sealing-cert.pem")).toEqual({
      problem: expect.stringContaining("terraform output -raw sealing_certificate > cluster/sealing-cert.pem"),
    });
  });
});

/** A lab folder: the spec, and optionally the certificate beside it. */
function labDir(name: string, spec: string, certificate: string | null = key.certificatePem): string {
  const dir = scratch(name);
  writeFileSync(join(dir, "homelab.yaml"), spec);
  if (certificate) writeFileSync(join(dir, "sealing-cert.pem"), certificate);
  return dir;
}

const withSonarrSecret = overlayReference({ "apps.1.secretEnv": ["SONARR__AUTH__APIKEY"] });
/** `npm run seal` in this process (the command as scripts/seal.ts runs it), with this stdin. */
async function seal(dir: string, args: string[], input: string) {
  const out = { stdout: "", stderr: "" };
  const sink = (name: "stdout" | "stderr") => new Writable({ write: (chunk, _encoding, next) => ((out[name] += chunk.toString()), next()) });
  const status = await sealCli(["--cluster", join(dir, "homelab.yaml"), ...args], root, {
    stdin: Readable.from([Buffer.from(input)]) as unknown as NodeJS.ReadStream,
    stdout: sink("stdout"),
    stderr: sink("stderr") as unknown as NodeJS.WriteStream,
  });
  return { status, ...out };
}

/** Every file under a folder, read as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
}

describe("npm run seal", () => {
  it("seals stdin for the app's Secret, without echo's newline; synth renders that very ciphertext, check passes, and the value is nowhere in plaintext", async () => {
    const dir = labDir("seal-app", withSonarrSecret);
    const result = await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "hunter2-but-longer\n");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SONARR__AUTH__APIKEY sealed for media\/sonarr-secrets in .*sealed\/sonarr\.yaml; now npm run synth, commit and publish/);
    const file = readYaml(readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"));
    const entry = file["media/sonarr-secrets"].SONARR__AUTH__APIKEY;
    expect(entry).toEqual({ publicKey: keyFingerprint(publicKey), encrypted: expect.any(String) });
    expect(unseal(sealedSecret("media", "sonarr-secrets", { SONARR__AUTH__APIKEY: entry.encrypted }), key.privateKey).SONARR__AUTH__APIKEY.toString()).toBe(
      "hunter2-but-longer",
    );

    const out = join(dir, "dist");
    const summary = synthesize({ clusterFile: join(dir, "homelab.yaml"), outDir: out, root });
    const objects = parseAllDocuments(readFileSync(join(out, "k8s", "sonarr", "manifests.yaml"), "utf8")).map((d) => d.toJS());
    const rendered = objects.find((o) => o.kind === "SealedSecret" && o.metadata.name === "sonarr-secrets");
    expect(rendered).toMatchObject({
      apiVersion: "bitnami.com/v1alpha1",
      metadata: { name: "sonarr-secrets", namespace: "media" },
      spec: {
        encryptedData: { SONARR__AUTH__APIKEY: entry.encrypted },
        template: { metadata: { name: "sonarr-secrets", namespace: "media" }, type: "Opaque" },
      },
    });
    expect(unseal(rendered, key.privateKey).SONARR__AUTH__APIKEY.toString()).toBe("hunter2-but-longer");
    expect(objects.find((o) => o.kind === "Deployment").spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "sonarr-secrets" } }]);
    // The platform's secrets are placeholders still, and said so; the app's is not among them.
    expect(summary.pending.join("\n")).not.toContain("SONARR");
    // Stored ciphertext, never re-encrypted: a second synth writes the same bytes.
    const before = readFileSync(join(out, "k8s", "sonarr", "manifests.yaml"), "utf8");
    synthesize({ clusterFile: join(dir, "homelab.yaml"), outDir: out, root });
    expect(readFileSync(join(out, "k8s", "sonarr", "manifests.yaml"), "utf8")).toBe(before);

    const lab = loadLab(join(dir, "homelab.yaml"));
    const report = await runCheck(lab.cluster, out, root);
    expect(report.findings).toEqual([]);
    expect(allText(dir)).not.toContain("hunter2");
    // The sealed file passes the same secret scan (what the pre-commit hook and publish run on cluster/).
    expect(await scanForSecrets("cluster/sealed/sonarr.yaml", readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"))).toEqual([]);
  });

  it("keeps a trailing newline when asked, and seals one value for several owners at once", async () => {
    const dir = labDir("seal-owners", withSonarrSecret);
    expect((await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY", "--keep-newline"], "with-newline\n")).status).toBe(0);
    const stored = readYaml(readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"))["media/sonarr-secrets"].SONARR__AUTH__APIKEY.encrypted;
    expect(unseal(sealedSecret("media", "sonarr-secrets", { K: stored }), key.privateKey).K.toString()).toBe("with-newline\n");

    expect((await seal(dir, ["cert-manager,external-dns", "CLOUDFLARE_API_TOKEN"], "cf-token")).status).toBe(0);
    for (const [owner, namespace] of [
      ["cert-manager", "cert-manager"],
      ["external-dns", "external-dns"],
    ]) {
      const encrypted = readYaml(readFileSync(join(dir, "sealed", `${owner}.yaml`), "utf8"))[`${namespace}/cloudflare-api-token`].CLOUDFLARE_API_TOKEN
        .encrypted;
      expect(unseal(sealedSecret(namespace, "cloudflare-api-token", { K: encrypted }), key.privateKey).K.toString()).toBe("cf-token");
    }
    // Sealing again replaces one value and keeps the others.
    expect((await seal(dir, ["vpn-general", "WIREGUARD_PRIVATE_KEY"], "wg")).status).toBe(0);
    expect((await seal(dir, ["vpn-general", "VPN_SERVICE_PROVIDER"], "mullvad")).status).toBe(0);
    expect(Object.keys(readYaml(readFileSync(join(dir, "sealed", "vpn-general.yaml"), "utf8"))["media/vpn-general"])).toEqual([
      "VPN_SERVICE_PROVIDER",
      "WIREGUARD_PRIVATE_KEY",
    ]);
  });

  it("changes the SealedSecret's spec on every seal, the same value included: the controller retries a SealedSecret only when its spec changes", async () => {
    // sealed-secrets v0.36.6 pkg/controller/controller.go#L163-L171, #L189-L199: an update is queued
    // only when spec differs; a SealedSecret given up after 5 failures (#L314-L321) waits for one.
    const dir = labDir("seal-again", withSonarrSecret);
    const stored = () => readYaml(readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"))["media/sonarr-secrets"].SONARR__AUTH__APIKEY.encrypted;
    expect((await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "same")).status).toBe(0);
    const first = stored();
    expect((await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "same")).status).toBe(0);
    expect(stored()).not.toBe(first);
  });

  it.each([
    [
      ["radarr", "SONARR__AUTH__APIKEY"],
      "x",
      2,
      /radarr has no sealed Secrets in this lab; owners: cert-manager \(CLOUDFLARE_API_TOKEN\), .*sonarr \(SONARR__AUTH__APIKEY\)/,
    ],
    [["sonarr", "OTHER_KEY"], "x", 2, /sonarr takes SONARR__AUTH__APIKEY, not OTHER_KEY; to add it, list it in the app's secretEnv first/],
    [["vpn-general", "lower-case"], "x", 2, /lower-case is no environment variable name/],
    [["sonarr", "SONARR__AUTH__APIKEY"], "", 2, /no value on stdin/],
    [["sonarr"], "x", 2, /expected <owner> <NAME>/],
  ])("refuses %j with stdin %j: exit %i", async (args, input, status, message) => {
    const dir = labDir("seal-refusals", withSonarrSecret);
    const result = await seal(dir, args, input);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(status);
  });

  it("refuses without a certificate (before the first apply), saying how to get it, and writes nothing", async () => {
    const dir = labDir("seal-no-cert", withSonarrSecret, null);
    const result = await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "x");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /sealing-cert\.pem does not exist: apply the lab's stack first, then `terraform output -raw sealing_certificate > .*sealing-cert\.pem` and commit it/,
    );
    expect(() => statSync(join(dir, "sealed"))).toThrow();
  });

  it("refuses an expired certificate and says the next apply renews it for the same key (nothing to seal again)", async () => {
    const dir = labDir("seal-expired", withSonarrSecret);
    const clocks = [
      "nextTick",
      "setImmediate",
      "clearImmediate",
      "setTimeout",
      "clearTimeout",
      "setInterval",
      "clearInterval",
      "queueMicrotask",
      "hrtime",
      "performance",
    ] as const;
    jest.useFakeTimers({ now: Date.now() + 3 * 24 * 3600 * 1000, doNotFake: [...clocks] }); // the throwaway certificate is valid 2 days
    try {
      const result = await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "x");
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /sealing-cert\.pem expired on \d{4}-\d\d-\d\d; `terraform apply` of the lab's stack renews it for the same key, so every sealed value stays valid: then `terraform output -raw sealing_certificate > .*sealing-cert\.pem` and commit it/,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it("answers --help and lists what the lab seals", async () => {
    const dir = labDir("seal-list", withSonarrSecret);
    expect((await seal(dir, ["--help"], "")).stdout).toMatch(/^usage: npm run seal -- <owner>\[,<owner>…\] <NAME>[\s\S]*exit codes: 0 ok/);
    const listed = (await seal(dir, ["--list"], "")).stdout;
    expect(listed).toContain("sonarr media/sonarr-secrets SONARR__AUTH__APIKEY: NOT SEALED");
    expect(listed).toContain("vpn-general media/vpn-general: nothing sealed yet (any gluetun variable)");
    expect(listed).toContain("cert-manager cert-manager/cloudflare-api-token CLOUDFLARE_API_TOKEN (Secret key api-token): NOT SEALED");
  });

  (statSync("/usr/bin/script", { throwIfNoEntry: false }) ? it : it.skip)(
    "reads a typed value without echoing it on a terminal (util-linux script gives it one)",
    async () => {
      const dir = labDir("seal-tty", withSonarrSecret);
      const command = `${process.execPath} ${join(root, "scripts", "run.cjs")} scripts/seal.ts --cluster ${join(dir, "homelab.yaml")} sonarr SONARR__AUTH__APIKEY`;
      const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: root });
      let output = "";
      let typed = false;
      const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        // Typed only once the prompt is up, that is once echo is off.
        if (!typed && output.includes("typing is not shown")) {
          typed = true;
          child.stdin.write("typed-s3cret\r");
        }
      });
      expect(await done).toBe(0);
      expect(output).not.toContain("typed-s3cret");
      const stored = readYaml(readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"))["media/sonarr-secrets"].SONARR__AUTH__APIKEY.encrypted;
      expect(unseal(sealedSecret("media", "sonarr-secrets", { K: stored }), key.privateKey).K.toString()).toBe("typed-s3cret");
    },
  );
});

describe("synth and the sealed values beside the spec", () => {
  it("makes an app's secretEnv without a sealed value a spec error naming the command, and writes nothing", () => {
    const dir = labDir("sealed-missing", withSonarrSecret);
    let error: unknown;
    try {
      synthesize({ clusterFile: join(dir, "homelab.yaml"), outDir: join(dir, "dist"), root });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(
      /homelab\.yaml:\d+: apps\[1\]\.secretEnv: SONARR__AUTH__APIKEY of sonarr \(Secret media\/sonarr-secrets\) is not sealed yet \(.*sealed\/sonarr\.yaml\)\. Fix: npm run seal -- sonarr SONARR__AUTH__APIKEY with the value on stdin/,
    );
    expect(() => statSync(join(dir, "dist"))).toThrow();
  });

  it("before the first apply (no certificate, nothing sealed) writes everything and lists what is still to do; check passes, check --strict fails on it", async () => {
    const dir = labDir("sealed-pending", readFileSync(referenceSpec, "utf8"), null);
    const out = join(dir, "dist");
    const summary = synthesize({ clusterFile: join(dir, "homelab.yaml"), outDir: out, root });
    expect(summary.pending).toEqual([
      expect.stringMatching(
        /sealing-cert\.pem does not exist yet: after the first terraform apply .*terraform output -raw sealing_certificate > .*sealing-cert\.pem` and commit it/,
      ),
      expect.stringMatching(
        /sealed\/cert-manager\.yaml: CLOUDFLARE_API_TOKEN of cert-manager .* seal it: npm run seal -- cert-manager CLOUDFLARE_API_TOKEN with the value on stdin/,
      ),
      expect.stringMatching(/npm run seal -- external-dns CLOUDFLARE_API_TOKEN/),
      expect.stringMatching(/npm run seal -- victoria-metrics GRAFANA_ADMIN_PASSWORD/),
      expect.stringMatching(/sealed\/vpn-general\.yaml: nothing is sealed for Secret media\/vpn-general yet .*npm run seal -- vpn-general <NAME>/),
      // The app backups' restic password: one Secret per app volume, one line, one command for them all.
      expect.stringMatching(
        /sealed\/volsync\.yaml: RESTIC_PASSWORD of volsync \(6 Secrets: media\/plex-config-restic, media\/sonarr-config-restic, media\/radarr-config-restic, …\) is not sealed yet; seal it: npm run seal -- volsync RESTIC_PASSWORD/,
      ),
    ]);
    const grafana = parseAllDocuments(readFileSync(join(out, "k8s", "victoria-metrics", "manifests.yaml"), "utf8"))
      .map((d) => d.toJS())
      .find((o) => o.kind === "SealedSecret");
    expect(grafana.spec).toEqual({
      encryptedData: {},
      template: { data: { "admin-user": "admin" }, metadata: { name: "grafana-admin", namespace: "monitoring" }, type: "Opaque" },
    });
    // Without terraform on PATH: the placeholders are the point here, not terraform validate.
    const env = { PATH: `${join(process.execPath, "..")}:/usr/bin:/bin`.replace(/:?[^:]*terraform[^:]*/g, "") };
    expect((await runCheck(loadLab(join(dir, "homelab.yaml")).cluster, out, root)).findings).toEqual([]);
    const strict = runScript("scripts/check.ts", ["--out", out, "--cluster", join(dir, "homelab.yaml"), "--strict"], env);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain("npm run seal -- cert-manager CLOUDFLARE_API_TOKEN");
    expect(strict.stdout).toContain("sealing-cert.pem does not exist yet");
  });

  it("says which values were sealed with another key (a rotated key) and which sealed values nothing renders", async () => {
    const dir = labDir("sealed-rotated", withSonarrSecret);
    expect((await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "v")).status).toBe(0);
    expect((await seal(dir, ["cert-manager", "CLOUDFLARE_API_TOKEN"], "t")).status).toBe(0);
    writeFileSync(join(dir, "sealing-cert.pem"), throwawaySealingKey("rotated").certificatePem);
    const file = readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8");
    writeFileSync(
      join(dir, "sealed", "sonarr.yaml"),
      file.replace(
        "media/sonarr-secrets:",
        "tv/sonarr-secrets:\n  OLD:\n    certificate: x\n    encrypted: " +
          sealValue(publicKey, Buffer.from("o"), "tv", "sonarr-secrets") +
          "\nmedia/sonarr-secrets:",
      ),
    );
    const { secrets } = loadLab(join(dir, "homelab.yaml"));
    expect(secrets.pending).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /sealed\/sonarr\.yaml: SONARR__AUTH__APIKEY for media\/sonarr-secrets was sealed with another key than .*sealing-cert\.pem's \(a rotated key\?\); seal it again: npm run seal -- sonarr SONARR__AUTH__APIKEY/,
        ),
        expect.stringMatching(/sealed\/cert-manager\.yaml: CLOUDFLARE_API_TOKEN for cert-manager\/cloudflare-api-token was sealed with another key/),
      ]),
    );
    expect(secrets.notes).toEqual([expect.stringMatching(/sealed\/sonarr\.yaml: tv\/sonarr-secrets OLD is sealed for no Secret of the spec/)]);
  });

  it("flags nothing when only the certificate was renewed (a lab rename, its expiry): a value is sealed for the key, which stayed", async () => {
    const dir = labDir("sealed-renewed", withSonarrSecret);
    expect((await seal(dir, ["sonarr", "SONARR__AUTH__APIKEY"], "v")).status).toBe(0);
    const renewed = renewedCertificate(key, "sealed-secrets renamed-lab");
    expect(new X509Certificate(renewed).fingerprint256).not.toBe(new X509Certificate(key.certificatePem).fingerprint256);
    writeFileSync(join(dir, "sealing-cert.pem"), renewed);
    expect(loadLab(join(dir, "homelab.yaml")).secrets.pending.join("\n")).not.toContain("SONARR__AUTH__APIKEY");
    expect((await seal(dir, ["--list"], "")).stdout).toContain("sonarr media/sonarr-secrets SONARR__AUTH__APIKEY: sealed\n");
    // The controller still holds the key alone (the Secret of the first boot): the value decrypts.
    const stored = readYaml(readFileSync(join(dir, "sealed", "sonarr.yaml"), "utf8"))["media/sonarr-secrets"].SONARR__AUTH__APIKEY.encrypted;
    expect(unseal(sealedSecret("media", "sonarr-secrets", { K: stored }), key.privateKey).K.toString()).toBe("v");
  });

  it("reads the first release's entries (sealed for a certificate), and records the key of those it rewrites", async () => {
    const dir = labDir("sealed-first-release", readFileSync(referenceSpec, "utf8"));
    mkdirSync(join(dir, "sealed"));
    const fingerprint = new X509Certificate(key.certificatePem).fingerprint256;
    const other = `${"00:".repeat(31)}00`;
    const vpn = (name: string) => sealValue(publicKey, Buffer.from(name), "media", "vpn-general");
    const [wireguard, provider] = [vpn("wg"), vpn("p")];
    writeFileSync(
      join(dir, "sealed", "vpn-general.yaml"),
      `media/vpn-general:\n  WIREGUARD_PRIVATE_KEY:\n    certificate: ${fingerprint}\n    encrypted: ${wireguard}\n  VPN_SERVICE_PROVIDER:\n    certificate: ${other}\n    encrypted: ${provider}\n`,
    );
    const pending = loadLab(join(dir, "homelab.yaml")).secrets.pending.join("\n");
    expect(pending).not.toContain("WIREGUARD_PRIVATE_KEY for media/vpn-general was sealed");
    expect(pending).toContain("VPN_SERVICE_PROVIDER for media/vpn-general was sealed with another key");
    expect((await seal(dir, ["vpn-general", "VPN_TYPE"], "wireguard")).status).toBe(0);
    expect(readYaml(readFileSync(join(dir, "sealed", "vpn-general.yaml"), "utf8"))["media/vpn-general"]).toEqual({
      WIREGUARD_PRIVATE_KEY: { publicKey: keyFingerprint(publicKey), encrypted: wireguard },
      VPN_SERVICE_PROVIDER: { certificate: other, encrypted: provider },
      VPN_TYPE: { publicKey: keyFingerprint(publicKey), encrypted: expect.any(String) },
    });
  });

  it("refuses a malformed sealed file, naming the file, the entry and the fix", () => {
    const dir = labDir("sealed-malformed", withSonarrSecret);
    mkdirSync(join(dir, "sealed"));
    writeFileSync(join(dir, "sealed", "sonarr.yaml"), "media/sonarr-secrets:\n  SONARR__AUTH__APIKEY:\n    certificate: x\n    encrypted: not-sealed\n");
    expect(() => loadLab(join(dir, "homelab.yaml"))).toThrow(
      /sealed\/sonarr\.yaml:4: media\/sonarr-secrets\.SONARR__AUTH__APIKEY\.encrypted: is not a value npm run seal wrote\. Fix: restore it from git/,
    );
  });

  it("refuses a lab that needs sealed Secrets with the controller turned off", () => {
    const dir = labDir("sealed-off", overlayReference({ "platform.sealedSecrets.enabled": false }));
    expect(() => loadLab(join(dir, "homelab.yaml"))).toThrow(
      /platform\.sealedSecrets\.enabled: is false, but cert-manager, external-dns, victoria-metrics, vpn-general, volsync read sealed Secrets that only the sealed-secrets controller decrypts\. Fix: enable it/,
    );
  });
});
