// Issue 29 item 3: a rebuild keeps a still-valid wildcard certificate instead of ordering it
// again. (a) The arrangement Argo CD sees: the restore is a Sync hook a wave before the
// Certificate, which stays in the last wave out of health; the gateway's Application syncs after
// the repository server's. (b) The carry itself: the four scripts, taken from the rendered
// manifests and run under bash / sh against fake kubectl and restic that answer as the cluster
// and the repository would. (c) shellcheck on each.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import { renderApplications } from "../charts/k8s-app";
import { sealedTargets } from "../charts/sealed/targets";
import { checkHygiene } from "../scripts/lib/check/kubernetes-hygiene";
import { overlayReference, referenceSpec } from "./helpers/spec-fixture";
import { onPath } from "./helpers/tools";
import { scratch } from "./helpers/tree";

// The scripts run on jq (both images ship it) and are linted by shellcheck: without either the
// suite says so and skips those tests; .ci/run installs both.
const jq = onPath("jq");
const shellcheck = onPath("shellcheck");
if (!jq) console.warn("SKIPPED: jq is not installed, so the certificate carry's scripts are not run (apt-get install jq; .ci/run does)");
if (!shellcheck)
  console.warn("SKIPPED: shellcheck is not installed, so the certificate carry's scripts are not linted (apt-get install shellcheck; .ci/run does)");

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const rendered = renderApplications(reference);
const gatewayObjects = rendered.get("gateway")!;
const repositoryObjects = rendered.get("backup-repository")!;
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const wave = (o: any) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);

const hook = find(gatewayObjects, "Job", "certificate-restore");
const cronJob = find(repositoryObjects, "CronJob", "certificate-backup");
const container = (pod: any, name: string) => [...pod.initContainers, ...pod.containers].find((c: any) => c.name === name);
const scriptOf = (pod: any, name: string) => container(pod, name).command[2] as string;
const backupPod = cronJob.spec.jobTemplate.spec.template.spec;
const restorePod = hook.spec.template.spec;
const scripts = {
  probe: { shell: "bash", text: container(restorePod, "probe") ? scriptOf(restorePod, "probe") : "exit 1" },
  export: { shell: "bash", text: scriptOf(backupPod, "export") },
  upload: { shell: "sh", text: scriptOf(backupPod, "upload") },
  fetch: { shell: "sh", text: scriptOf(restorePod, "fetch") },
  restore: { shell: "bash", text: scriptOf(restorePod, "restore") },
} as const;

describe("the certificate carry's arrangement", () => {
  it("restores in a Sync hook a wave before the Certificate, which stays in the last wave out of health", () => {
    const certificate = find(gatewayObjects, "Certificate", "wildcard");
    expect(hook.metadata.annotations).toMatchObject({
      "argocd.argoproj.io/hook": "Sync",
      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
    });
    expect(wave(hook)).toBeLessThan(wave(certificate));
    expect(wave(certificate)).toBe(Math.max(...gatewayObjects.map(wave)));
    expect(certificate.metadata.annotations["argocd.argoproj.io/ignore-healthcheck"]).toBe("true");
    // Its Role exists before the hook runs; the hook never retries and ends at a deadline.
    for (const kind of ["Role", "RoleBinding"]) expect(wave(find(gatewayObjects, kind, "certificate-restore"))).toBeLessThan(wave(hook));
    expect(hook.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: expect.any(Number) });
  });

  it("syncs the gateway after the repository server, which holds no wave", () => {
    const apps = rendered.get("argocd-apps")!.filter((o) => o.kind === "Application");
    const appWave = (name: string) => wave(apps.find((a) => a.metadata.name === name));
    expect(appWave("backup-repository")).toBeLessThan(appWave("gateway"));
    for (const o of [find(repositoryObjects, "Deployment", "rest-server"), cronJob])
      expect(o.metadata.annotations["argocd.argoproj.io/ignore-healthcheck"]).toBe("true");
  });

  it("runs both jobs as the repository server's admitted movers, restricted, with the token in kubectl's container only", () => {
    const policy = find(repositoryObjects, "NetworkPolicy", "rest-server");
    const admitted = policy.spec.ingress[0].from[0];
    expect(admitted.namespaceSelector.matchExpressions[0].values).toContain("backup-repository");
    for (const pod of [backupPod, restorePod]) {
      expect(admitted.podSelector.matchLabels).toEqual(expect.objectContaining({ "homelab.dev/backup-mover": "true" }));
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      for (const c of [...pod.initContainers, ...pod.containers]) {
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        const hasToken = c.volumeMounts.some((m: any) => m.mountPath === "/var/run/secrets/kubernetes.io/serviceaccount");
        expect(hasToken).toBe(c.image.startsWith("registry.k8s.io/kubectl:"));
      }
    }
    expect(cronJob.spec.jobTemplate.spec.template.metadata.labels["homelab.dev/backup-mover"]).toBe("true");
    expect(hook.spec.template.metadata.labels["homelab.dev/backup-mover"]).toBe("true");
    expect(cronJob.spec).toMatchObject({ concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 2 });
  });

  it("gives restic and kubectl a writable temporary directory and home under a read-only root", () => {
    // restic writes every new pack to a temporary file in os.TempDir() ($TMPDIR or /tmp) before it
    // uploads it (restic@v0.18.1: internal/repository/packer_manager.go#L204,
    // internal/fs/file_unix.go#L19-L31): on a read-only root without one, every backup fails.
    for (const pod of [backupPod, restorePod]) {
      const writable = new Set(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name));
      for (const c of [...pod.initContainers, ...pod.containers]) {
        const env = Object.fromEntries(c.env.filter((e: any) => e.value).map((e: any) => [e.name, e.value]));
        const onWritable = (path: string) => c.volumeMounts.some((m: any) => writable.has(m.name) && !m.readOnly && path.startsWith(m.mountPath));
        const tmp = env.TMPDIR ?? "/tmp";
        expect({ container: c.name, tmp, writable: onWritable(tmp) }).toEqual({ container: c.name, tmp, writable: true });
        expect({ container: c.name, home: env.HOME, writable: onWritable(env.HOME ?? "/") }).toEqual({ container: c.name, home: env.HOME, writable: true });
      }
    }
  });

  it("asks whether the Secret exists before it asks the repository: a sync with the certificate in place fetches no key", () => {
    expect(restorePod.initContainers.map((c: any) => c.name)).toEqual(["probe", "fetch"]);
    expect(container(restorePod, "probe").image).toMatch(/^registry\.k8s\.io\/kubectl:/);
  });

  it("reads the password from one more target of the sealed RESTIC_PASSWORD, beside the jobs; its Roles name the one Secret", () => {
    const target = sealedTargets(reference).find((t) => t.secretName === "certificate-carry-restic");
    expect(target).toMatchObject({ owner: "volsync", namespace: "backup-repository", renderedIn: "backup-repository" });
    expect(target?.plain?.RESTIC_REPOSITORY).toBe("rest:http://rest-server.backup-repository.svc:8000/gateway/wildcard-tls");
    expect(find(repositoryObjects, "SealedSecret", "certificate-carry-restic")).toBeDefined();
    const backupRole = find(gatewayObjects, "Role", "certificate-backup");
    expect(backupRole.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["wildcard-tls"], verbs: ["get"] },
      { apiGroups: ["cert-manager.io"], resources: ["certificates"], resourceNames: ["wildcard"], verbs: ["get"] },
    ]);
  });

  it("passes the hygiene check as jobs (no probes: they run to their end), which a Deployment would not", () => {
    const jobs = [cronJob, hook].map((object) => ({ file: "x.yaml", object }));
    expect(checkHygiene(jobs)).toEqual([]);
    const asDeployment = { ...hook, kind: "Deployment", metadata: { ...hook.metadata, annotations: {} } };
    expect(checkHygiene([{ file: "x.yaml", object: asDeployment }]).map((f) => f.rule)).toEqual(["probes", "probes"]);
  });

  it("renders nothing of it without app backups", () => {
    const spec = parseCluster(overlayReference({ "platform.volsync.enabled": false }), "homelab.yaml");
    const objects = [...renderApplications(spec).values()].flat();
    expect(objects.filter((o) => o.metadata?.name?.startsWith("certificate-"))).toEqual([]);
    expect(sealedTargets(spec).some((t) => t.secretName === "certificate-carry-restic")).toBe(false);
    const gatewayApp = renderApplications(spec).get("gateway")!;
    expect(gatewayApp.every((o) => wave(o) === 0)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The scripts, run. Fakes record "<command> <args>" in calls.log; `restic backup` keeps its stdin
// as the repository's one snapshot, which `restic dump` prints.

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  dir: string;
  carry: string;
  seconds: number;
}

let runs = 0;
function run(
  script: keyof typeof scripts,
  fakes: Record<string, string>,
  options: { env?: Record<string, string>; carry?: string; files?: Record<string, string> } = {},
): Run {
  const dir = scratch(`certificate-carry-${++runs}`);
  const bin = join(dir, "bin");
  const carry = options.carry ?? join(dir, "carry");
  mkdirSync(bin);
  mkdirSync(carry, { recursive: true });
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(carry, name), text);
  const log = join(dir, "calls.log");
  for (const [command, body] of Object.entries(fakes)) {
    writeFileSync(join(bin, command), `#!/bin/sh\necho "${command} $*" >> '${log}'\n${body}\n`);
    chmodSync(join(bin, command), 0o755);
  }
  const { shell, text } = scripts[script];
  const started = Date.now();
  const result = spawnSync(shell, ["-c", text], {
    encoding: "utf8",
    env: { PATH: `${bin}:/usr/bin:/bin`, CARRY_DIR: carry, FAKE_DIR: dir, RESTIC_REPOSITORY: "rest:http://fake/gateway/wildcard-tls", ...options.env },
    timeout: 30_000,
  });
  const calls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, dir, carry, seconds: (Date.now() - started) / 1000 };
}

const issued = {
  apiVersion: "v1",
  kind: "Secret",
  type: "kubernetes.io/tls",
  metadata: {
    name: "wildcard-tls",
    namespace: "gateway",
    uid: "0d1e2f",
    resourceVersion: "4242",
    creationTimestamp: "2025-01-01T00:00:00Z",
    managedFields: [{ manager: "cert-manager-certificates-issuing", operation: "Apply" }],
    ownerReferences: [{ apiVersion: "cert-manager.io/v1", kind: "Certificate", name: "wildcard", uid: "old-cluster-uid" }],
    labels: { "controller.cert-manager.io/fao": "true" },
    annotations: {
      "cert-manager.io/certificate-name": "wildcard",
      "cert-manager.io/issuer-name": "letsencrypt-production",
      "cert-manager.io/issuer-kind": "ClusterIssuer",
      "cert-manager.io/issuer-group": "cert-manager.io",
      "cert-manager.io/common-name": "lab.example.org",
      "cert-manager.io/alt-names": "*.lab.example.org,lab.example.org",
    },
  },
  data: { "tls.crt": "Q0VSVA==", "tls.key": "S0VZ", "ca.crt": "" },
};

/** kubectl as the cluster answers: the Certificate's Ready status; the Secret if `secret` is given, else NotFound. */
function kubectl(ready: string, secret?: object): string {
  const file = (name: string, text: string) => `cat <<'JSON' > "$FAKE_DIR/${name}"\n${text}\nJSON`;
  return [
    secret ? file("secret.json", JSON.stringify(secret)) : "",
    `case "$*" in`,
    `  *"get certificate"*) printf '%s' '${ready}' ;;`,
    secret
      ? `  *"get secret"*) cat "$FAKE_DIR/secret.json" ;;`
      : `  *"get secret"*) echo 'Error from server (NotFound): secrets "wildcard-tls" not found' >&2; exit 1 ;;`,
    `  *create*) cat > "$FAKE_DIR/created.json" ;;`,
    `esac`,
  ].join("\n");
}

/** restic as the repository answers: `cat config` exits `config`; backup keeps stdin; dump prints it, or fails with no snapshot. */
function restic(config: number, snapshot?: string): string {
  return [
    snapshot !== undefined ? `printf '%s' '${snapshot}' > "$FAKE_DIR/snapshot"` : "",
    `case "$*" in`,
    `  *"cat config"*) [ ${config} -eq 0 ] || echo "Fatal: repository answered ${config}" >&2; exit ${config} ;;`,
    `  *backup*) cat > "$FAKE_DIR/snapshot" ;;`,
    `  *dump*) [ -f "$FAKE_DIR/snapshot" ] || { echo 'Fatal: no matching snapshot found' >&2; exit 1; }; cat "$FAKE_DIR/snapshot" ;;`,
    `esac`,
  ].join("\n");
}

const exported = (r: Run) => join(r.carry, "wildcard-tls.json");

(jq ? describe : describe.skip)("the certificate carry, run", () => {
  describe("backup", () => {
    it.each(["False", ""])("exports nothing while the Certificate is not Ready (%j), and exits 0", (ready) => {
      const r = run("export", { kubectl: kubectl(ready, issued) });
      expect(r.status).toBe(0);
      expect(existsSync(exported(r))).toBe(false);
      expect(r.calls.some((c) => c.includes("get secret"))).toBe(false);
      expect(r.stdout).toMatch(/is not Ready/);
    });

    it("exports type, data, labels and cert-manager's annotations, without this cluster's identity", () => {
      const r = run("export", { kubectl: kubectl("True", issued) });
      expect(r.status).toBe(0);
      const file = JSON.parse(readFileSync(exported(r), "utf8"));
      expect(file).toEqual({
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name: "wildcard-tls", labels: issued.metadata.labels, annotations: issued.metadata.annotations },
        data: issued.data,
      });
    });

    it("refuses a Ready Certificate's Secret without an issuer (a temporary certificate), failing the job", () => {
      const temporary = { ...issued, metadata: { ...issued.metadata, annotations: { "cert-manager.io/certificate-name": "wildcard" } } };
      const r = run("export", { kubectl: kubectl("True", temporary) });
      expect(r.status).not.toBe(0);
      expect(existsSync(exported(r))).toBe(false);
    });

    it("writes nothing and calls no restic without an exported file", () => {
      const r = run("upload", { restic: restic(0) });
      expect(r.status).toBe(0);
      expect(r.calls).toEqual([]);
    });

    it("creates the repository only when restic says it does not exist, then backs up and forgets", () => {
      const file = { "wildcard-tls.json": JSON.stringify(issued) };
      const first = run("upload", { restic: restic(10) }, { files: file });
      expect(first.status).toBe(0);
      expect(first.calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
        "restic --no-cache cat",
        "restic --no-cache init",
        "restic --no-cache backup",
        "restic --no-cache forget",
      ]);
      expect(first.calls[2]).toContain("--host certificate-carry --stdin --stdin-filename wildcard-tls.json");
      expect(first.calls[3]).toContain("--keep-last 7 --prune");
      expect(readFileSync(join(first.dir, "snapshot"), "utf8")).toBe(JSON.stringify(issued));

      const unreachable = run("upload", { restic: restic(1) }, { files: file });
      expect(unreachable.status).toBe(1);
      expect(unreachable.calls.some((c) => c.includes(" init"))).toBe(false);
    });
  });

  describe("restore", () => {
    const fast = { CARRY_CALL_SECONDS: "1", CARRY_WAIT_SECONDS: "2", CARRY_RETRY_SECONDS: "1" };
    const withPassword = { RESTIC_PASSWORD: "not-a-real-one", ...fast };

    it("the probe marks an existing Secret, and then nothing is fetched", () => {
      const probe = run("probe", { kubectl: kubectl("", issued) });
      expect(probe.status).toBe(0);
      expect(probe.stdout).toMatch(/exists/);
      const fetch = run("fetch", { restic: restic(0, JSON.stringify(issued)) }, { env: withPassword, carry: probe.carry });
      expect(fetch).toMatchObject({ status: 0, calls: [] });
      expect(existsSync(exported(fetch))).toBe(false);
    });

    it.each([
      ["no Secret", ""],
      ["an API that cannot be asked", "echo 'Unable to connect to the server' >&2; exit 1"],
    ])("the probe marks nothing on %s, and exits 0", (_what, fake) => {
      const probe = run("probe", { kubectl: fake || kubectl("") });
      expect(probe.status).toBe(0);
      const fetch = run("fetch", { restic: restic(0, JSON.stringify(issued)) }, { env: withPassword, carry: probe.carry });
      expect(JSON.parse(readFileSync(exported(fetch), "utf8"))).toEqual(issued);
    });

    it("fetches the newest snapshot's file", () => {
      const r = run("fetch", { restic: restic(0, JSON.stringify(issued)) }, { env: withPassword });
      expect(r.status).toBe(0);
      expect(JSON.parse(readFileSync(exported(r), "utf8"))).toEqual(issued);
      expect(r.calls.at(-1)).toContain("dump --host certificate-carry latest /wildcard-tls.json");
    });

    it.each([
      ["no repository (first boot)", restic(10), /no repository/],
      ["a wrong password", restic(12), /password does not open/],
      ["no snapshot yet", restic(0), /no backup of Secret gateway\/wildcard-tls/],
      ["an unreachable server", restic(1), /did not answer within 2s/],
      ["a server that never answers", "sleep 20", /did not answer within 2s/],
    ])("ends with exit 0 and no file on %s", (_what, fake, message) => {
      const r = run("fetch", { restic: fake }, { env: withPassword });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(message);
      expect(existsSync(exported(r))).toBe(false);
      expect(r.seconds).toBeLessThan(10);
    });

    it("ends with exit 0 without asking the repository when the Secret lacks the repository's URL", () => {
      const r = run("fetch", { restic: restic(0, "{}") }, { env: { ...withPassword, RESTIC_REPOSITORY: "" } });
      expect(r).toMatchObject({ status: 0, calls: [] });
    });

    it("ends with exit 0 without asking the repository when the password Secret is missing", () => {
      const r = run("fetch", { restic: restic(0, "{}") }, { env: fast });
      expect(r.status).toBe(0);
      expect(r.calls).toEqual([]);
      expect(r.stdout).toMatch(/no restic password/);
    });

    it("creates the Secret from the backup when there is none", () => {
      const r = run("restore", { kubectl: kubectl("") }, { files: { "wildcard-tls.json": JSON.stringify(issued) } });
      expect(r.status).toBe(0);
      expect(r.calls.at(-1)).toBe("kubectl create -f -");
      const created = JSON.parse(readFileSync(join(r.dir, "created.json"), "utf8"));
      expect(created.metadata).toEqual({
        name: "wildcard-tls",
        namespace: "gateway",
        labels: issued.metadata.labels,
        annotations: issued.metadata.annotations,
      });
      expect(created.data).toEqual(issued.data);
    });

    it("leaves an existing Secret alone (cert-manager's)", () => {
      const r = run("restore", { kubectl: kubectl("", issued) }, { files: { "wildcard-tls.json": JSON.stringify(issued) } });
      expect(r.status).toBe(0);
      expect(r.calls.some((c) => c.includes("create"))).toBe(false);
      expect(r.stdout).toMatch(/exists/);
    });

    it.each([
      ["nothing fetched", undefined, "", "kubectl: no call"],
      ["a file that is not the Secret", "{}", "", "kubectl: no call"],
      ["an API that cannot be asked", JSON.stringify(issued), "echo 'Unable to connect to the server' >&2; exit 1", "no create"],
      [
        "a create that fails",
        JSON.stringify(issued),
        `case "$*" in *create*) echo 'AlreadyExists' >&2; exit 1 ;; *) echo 'NotFound' >&2; exit 1 ;; esac`,
        "create",
      ],
    ])("ends with exit 0 on %s", (_what, file, fake, expected) => {
      const r = run("restore", { kubectl: fake || kubectl("") }, { files: file === undefined ? {} : { "wildcard-tls.json": file } });
      expect(r.status).toBe(0);
      if (expected === "kubectl: no call") expect(r.calls).toEqual([]);
      if (expected === "no create") expect(r.calls.some((c) => c.includes("create"))).toBe(false);
      if (expected === "create") expect(r.calls.at(-1)).toBe("kubectl create -f -");
    });

    it("carries a certificate from one cluster to the next: export, upload, probe, fetch, restore", () => {
      const old = run("export", { kubectl: kubectl("True", issued) });
      const up = run("upload", { restic: restic(10) }, { carry: old.carry });
      const snapshot = readFileSync(join(up.dir, "snapshot"), "utf8");
      const probed = run("probe", { kubectl: kubectl("") });
      const fetched = run("fetch", { restic: restic(0, snapshot) }, { env: withPassword, carry: probed.carry });
      const restored = run("restore", { kubectl: kubectl("") }, { carry: fetched.carry });
      expect([old, up, fetched, restored].map((r) => r.status)).toEqual([0, 0, 0, 0]);
      const created = JSON.parse(readFileSync(join(restored.dir, "created.json"), "utf8"));
      expect(created).toEqual({
        apiVersion: "v1",
        kind: "Secret",
        type: issued.type,
        metadata: { name: "wildcard-tls", namespace: "gateway", labels: issued.metadata.labels, annotations: issued.metadata.annotations },
        data: issued.data,
      });
    });
  });

  (shellcheck ? it.each : it.skip.each)(Object.keys(scripts) as (keyof typeof scripts)[])("%s passes shellcheck", (name) => {
    const { shell, text } = scripts[name];
    const result = spawnSync("shellcheck", ["-s", shell, "-"], { input: text, encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
