// `npm run check`: passes on the reference lab, and fails with the right rule on a seeded
// example of each rule; declared exemptions silence exactly what they name and are listed.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { yamlText } from "../lib/yaml-text";
import { runCheck, type CheckOptions } from "../scripts/lib/check/run-check";
import { exemptionsFromSpec } from "../scripts/lib/check/kubernetes-hygiene";
import { terraformOnPath } from "../scripts/lib/terraform-validate/terraform-run";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { referenceCopy, runScript } from "./helpers/tree";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
let n = 0;

/** A copy of the reference lab's output, seeded with one violation. */
async function checkWith(seed: (out: string) => void, cluster: Cluster = reference, options: CheckOptions = {}) {
  const out = referenceCopy(`check-${n++}`);
  seed(out);
  return runCheck(cluster, out, root, options);
}

/** Edits the objects of one application's manifests.yaml. */
function editObjects(out: string, app: string, edit: (objects: any[]) => void) {
  const file = join(out, "k8s", app, "manifests.yaml");
  const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
  edit(objects);
  writeFileSync(file, objects.map((o) => yamlText(o)).join("---\n"));
}
const deployment = (objects: any[]) => objects.find((o) => o.kind === "Deployment");
const appendTo = (out: string, file: string, text: string) => writeFileSync(join(out, file), readFileSync(join(out, file), "utf8") + text);

it("passes on the reference lab, listing the exemptions the spec declares", async () => {
  const report = await checkWith(() => undefined);
  expect(report.findings).toEqual([]);
  expect(report.exemptionsUsed.map((e) => e.declaredAt)).toEqual(expect.arrayContaining(["apps[0].mounts", "apps[4].vpn"]));
  // The reference lab keeps its vzdump files in the directory its workers mount as /data, and says so.
  expect(report.exemptionsUsed).toEqual(
    expect.arrayContaining([expect.objectContaining({ rule: "backup-exposure", object: "proxmox_backup_job.backups_job", declaredAt: "check.exemptions[0]" })]),
  );
  // RecurringJob validates against the Longhorn v1.7.2 CRD of the reference pack.
  expect(report.unvalidatedKinds).toEqual(["CiliumNetworkPolicy", "Plan", "VolumeSnapshotClass"]);
});

const seeds: [string, string, (out: string) => void, RegExp][] = [
  ["secret", "a private key", (out) => appendTo(out, "docs/README.md", `\n${privateKey}`), /secretlint rule privatekey/],
  [
    "secret",
    "a literal password in env (name: and value: on separate lines)",
    (out) => editObjects(out, "sonarr", (o) => deployment(o).spec.template.spec.containers[0].env.push({ name: "PASSWORD", value: "hunter2" })),
    /^PASSWORD holds a literal password$/,
  ],
  [
    "secret",
    "a password in the rendered repoURL",
    (out) =>
      editObjects(
        out,
        "argocd-apps",
        (o) => (o.find((x) => x.kind === "Application" && x.spec.source).spec.source.repoURL = "https://alex:hunter2@github.com/alex/lab.git"),
      ),
    /repoURL holds a user name and password inside a URL/,
  ],
  [
    "secret",
    "an API token",
    (out) => appendTo(out, "docs/README.md", "\ntoken ansible-user@pve!ansible-automation=0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9\n"),
    /Proxmox API token/,
  ],
  [
    "secret",
    "a random-looking value after a key word in prose",
    (out) => appendTo(out, "docs/README.md", "\nkey kJ8sD2fLq9ZxV3mN7pR1tY6wB4cH0gE5aU\n"),
    /^key holds a literal credential \(random-looking value\)$/,
  ],
  [
    "first-boot",
    "a download at first boot that is not retried",
    (out) => {
      const file = join(out, "bootstrap/k3s-master-2.user-data.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replaceAll("curl --fail --silent --show-error --location --retry 8 --retry-all-errors", "curl -fsSL"));
    },
    /^downloads https:\/\/github\.com\/k3s-io\/k3s\/releases\/download\/v1\.33\.5%2Bk3s1\/k3s once/,
  ],
  [
    "proxmox",
    "a directory storage Terraform leaves shared",
    (out) => {
      const file = join(out, "terraform/stacks/homelab/cdk.tf.json");
      const stack = JSON.parse(readFileSync(file, "utf8"));
      delete stack.resource.proxmox_storage_directory.storage_local.shared;
      writeFileSync(file, JSON.stringify(stack, null, 2));
    },
    /leaves shared unset/,
  ],
  ["machine-path", "this checkout's path", (out) => appendTo(out, "docs/README.md", `\nbuilt in ${root}/dist\n`), /a path of the machine that ran synth/],
  ["timestamp", "a build time", (out) => appendTo(out, "ansible/hosts.yaml", "# built 2026-11-22T01:02:03Z\n"), /date-time 2026-11-22T01:02/],
  [
    "image-pinned",
    "an unpinned image",
    (out) => editObjects(out, "sonarr", (o) => (deployment(o).spec.template.spec.containers[0].image = "lscr.io/linuxserver/sonarr:latest")),
    /is not pinned/,
  ],
  [
    "resources",
    "missing limits",
    (out) => editObjects(out, "sonarr", (o) => delete deployment(o).spec.template.spec.containers[0].resources.limits),
    /requests or limits/,
  ],
  [
    "probes",
    "no liveness probe",
    (out) => editObjects(out, "radarr", (o) => delete deployment(o).spec.template.spec.containers[0].livenessProbe),
    /no liveness probe/,
  ],
  ["host-access", "host networking", (out) => editObjects(out, "prowlarr", (o) => (deployment(o).spec.template.spec.hostNetwork = true)), /uses hostNetwork/],
  [
    "host-access",
    "a privileged container",
    (out) => editObjects(out, "prowlarr", (o) => (deployment(o).spec.template.spec.containers[0].securityContext.privileged = true)),
    /runs privileged/,
  ],
  [
    "host-access",
    "an undeclared host path",
    (out) => editObjects(out, "prowlarr", (o) => deployment(o).spec.template.spec.volumes.push({ name: "etc", hostPath: { path: "/etc" } })),
    /mounts host path \/etc/,
  ],
  [
    "service-account-token",
    "a mounted token",
    (out) => editObjects(out, "sonarr", (o) => delete deployment(o).spec.template.spec.automountServiceAccountToken),
    /mounts a service-account token/,
  ],
  [
    "namespace-pod-security",
    "an unlabelled namespace",
    (out) => editObjects(out, "namespaces", (o) => (o[0].metadata.labels = {})),
    /pod-security.kubernetes.io\/enforce/,
  ],
  [
    "schema",
    "an invalid Gateway",
    (out) => editObjects(out, "gateway", (o) => (o.find((x) => x.kind === "Gateway").spec.listeners[0].port = "eighty")),
    /must be integer/,
  ],
  [
    "schema",
    "a Longhorn RecurringJob with an unknown task",
    (out) => editObjects(out, "longhorn", (o) => (o.find((x) => x.kind === "RecurringJob").spec.task = "snapshots")),
    /\/spec\/task must be equal to one of the allowed values/,
  ],
  // The cluster installs Gateway API v1.3.0: a field that only later releases have is a finding.
  [
    "schema",
    "a Gateway field newer than the installed Gateway API",
    (out) => editObjects(out, "gateway", (o) => (o.find((x) => x.kind === "Gateway").spec.allowedListeners = { namespaces: { from: "Same" } })),
    /must NOT have additional properties 'allowedListeners'/,
  ],
  [
    "secret",
    "a credential variable that is not sensitive",
    (out) => {
      const file = join(out, "terraform/stacks/homelab/cdk.tf.json");
      const stack = JSON.parse(readFileSync(file, "utf8"));
      stack.variable.proxmox_api_token.sensitive = false;
      writeFileSync(file, JSON.stringify(stack, null, 2));
    },
    /carries a credential but is not sensitive/,
  ],
  // SealedSecrets: their upstream CRD (sealed-secrets 2.18.5), the strict scope, and the scan that reads ciphertext for what it is.
  [
    "schema",
    "a SealedSecret whose encryptedData is no map",
    (out) => editObjects(out, "cert-manager", (o) => (o.find((x) => x.kind === "SealedSecret").spec.encryptedData = ["AgB="])),
    /\/spec\/encryptedData must be object/,
  ],
  [
    "sealed",
    "a SealedSecret whose template names another Secret",
    (out) => editObjects(out, "cert-manager", (o) => (o.find((x) => x.kind === "SealedSecret").spec.template.metadata.name = "cloudflare")),
    /its template's name is cloudflare, but it is itself cloudflare-api-token: its values were sealed for cert-manager\/cloudflare and never decrypt as cert-manager\/cloudflare-api-token/,
  ],
  [
    "sealed",
    "a cluster-wide SealedSecret",
    (out) =>
      editObjects(
        out,
        "cert-manager",
        (o) => (o.find((x) => x.kind === "SealedSecret").metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"] = "true"),
      ),
    /would decrypt outside cert-manager\/cloudflare-api-token/,
  ],
  [
    "secret",
    "a plaintext token where the ciphertext goes",
    (out) =>
      editObjects(
        out,
        "cert-manager",
        (o) => (o.find((x) => x.kind === "SealedSecret").spec.encryptedData["api-token"] = "kJ8sD2fLq9ZxV3mN7pR1tY6wB4cH0gE5aU"),
      ),
    /^api-token holds a literal credential \(random-looking value\)$/,
  ],
  [
    "schema",
    "a ReplicationSource field VolSync 0.16.0 does not have",
    (out) => editObjects(out, "sonarr", (o) => (o.find((x) => x.kind === "ReplicationSource").spec.restic.retian = { daily: 7 })),
    /must NOT have additional properties 'retian'/,
  ],
  [
    "backup",
    "an app volume without its scheduled backup",
    (out) => editObjects(out, "sonarr", (o) => o.splice(o.indexOf(o.find((x) => x.kind === "ReplicationSource")), 1)),
    /has no scheduled backup/,
  ],
  [
    "backup",
    "an app volume without a restore path",
    (out) => editObjects(out, "radarr", (o) => delete o.find((x) => x.kind === "PersistentVolumeClaim").spec.dataSourceRef),
    /has no restore path/,
  ],
  [
    "host-access",
    "the repository server on the whole shared directory, not the one its exemption names",
    (out) => editObjects(out, "backup-repository", (o) => (deployment(o).spec.template.spec.volumes[0].hostPath.path = "/data")),
    /mounts host path \/data$/,
  ],
  [
    "reference",
    "a Service that selects nothing",
    (out) => editObjects(out, "sonarr", (o) => (o.find((x) => x.kind === "Service").spec.selector = { "app.kubernetes.io/name": "sonar" })),
    /selects no pods/,
  ],
  [
    "reference",
    "an unknown StorageClass",
    (out) => editObjects(out, "sonarr", (o) => (o.find((x) => x.kind === "PersistentVolumeClaim").spec.storageClassName = "local-path")),
    /StorageClass local-path does not exist/,
  ],
  [
    "reference",
    "a route to a missing listener",
    (out) => editObjects(out, "sonarr", (o) => (o.find((x) => x.kind === "HTTPRoute").spec.parentRefs[0].sectionName = "httpz")),
    /has no listener httpz/,
  ],
];

it.each(seeds)("fails on [%s]: %s", async (rule, _what, seed, message) => {
  const report = await checkWith(seed);
  const matching = report.findings.filter((f) => f.rule === rule && message.test(f.message));
  expect(matching.length).toBeGreaterThan(0);
  expect(matching[0].fix.length).toBeGreaterThan(10);
});

const terraform = terraformOnPath();
(terraform ? it : it.skip)("fails on [schema]: an unknown Terraform argument, found by terraform validate (needs terraform on PATH)", async () => {
  let line = 0;
  const report = await checkWith(
    (out) => {
      // Edited as text, so the rest stays as cdktf wrote it: an empty object before the resources
      // spans two lines there, where JSON.stringify writes one.
      const file = join(out, "terraform/stacks/homelab/cdk.tf.json");
      const text = readFileSync(file, "utf8");
      const at = text.indexOf('"cpu": {\n', text.indexOf('"k3s_master_1_vm": {')) + '"cpu": {\n'.length;
      line = text.slice(0, at).split("\n").length;
      expect(text.slice(0, at)).toMatch(/\{\n\s*\}/);
      writeFileSync(file, `${text.slice(0, at)}          "corez": 4,\n${text.slice(at)}`);
    },
    reference,
    { terraform },
  );
  expect(report.findings).toEqual([
    expect.objectContaining({
      rule: "schema",
      object: "resource.proxmox_virtual_environment_vm.k3s_master_1_vm.cpu",
      message: expect.stringMatching(/terraform validate: error: Extraneous JSON object property.*"corez"/),
    }),
  ]);
  // At its line of the file.
  expect(report.findings[0].message).toContain(`cdk.tf.json:${line})`);
});

it("an exemption in the spec silences exactly the object and rule it names, and is listed", async () => {
  const exempted = parseCluster(
    // Beside the reference lab's own exemptions (check.exemptions[0] and [1]).
    overlayReference({ "check.exemptions.2": { rule: "host-access", object: "Deployment/media/prowlarr", reason: "testing a declared exemption" } }),
    "exempt.yaml",
  );
  const report = await checkWith((out) => editObjects(out, "prowlarr", (o) => (deployment(o).spec.template.spec.hostNetwork = true)), exempted);
  expect(report.findings).toEqual([]);
  expect(report.exemptionsUsed).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ object: "Deployment/media/prowlarr", reason: "testing a declared exemption", declaredAt: "check.exemptions[2]" }),
    ]),
  );
  const other = await checkWith((out) => editObjects(out, "radarr", (o) => (deployment(o).spec.template.spec.hostNetwork = true)), exempted);
  expect(other.findings.map((f) => f.object)).toEqual(["Deployment/media/radarr#hostNetwork"]);
});

it("declares the repository server's host path from the spec, and with app backups off lists each app volume instead of failing it", () => {
  const declared = exemptionsFromSpec(reference).filter((e) => e.declaredAt.startsWith("platform.volsync"));
  expect(declared).toEqual([expect.objectContaining({ rule: "host-access", object: "Deployment/backup-repository/rest-server#hostPath:/data/volsync" })]);
  const off = parseCluster(overlayReference({ "platform.volsync.enabled": false }), "off.yaml");
  const exempt = exemptionsFromSpec(off).filter((e) => e.declaredAt === "platform.volsync.enabled");
  expect(exempt.map((e) => `${e.rule} ${e.object}`)).toEqual(off.apps.map((a) => `backup PersistentVolumeClaim/media/${a.name}-config`));
  expect(exempt[0].reason).toMatch(/neither backed up nor restored/);
});

it("names the app backups' repositories under a directory the apps mount (the reference lab declares it), and nothing when no app mounts it", async () => {
  const declared = await checkWith(() => undefined);
  expect(declared.exemptionsUsed.map((e) => `${e.rule} ${e.object}`)).toContain("backup-exposure Deployment/backup-repository/rest-server");
  const undeclared = parseCluster(overlayReference({}, ["check.exemptions.1"]), "undeclared.yaml");
  const report = await checkWith(() => undefined, undeclared);
  expect(report.findings.map((f) => `${f.rule} ${f.object}`)).toEqual(["backup-exposure Deployment/backup-repository/rest-server"]);
  expect(report.findings[0].message).toMatch(
    /from \/data\/volsync, which Deployment\/media\/plex \(\/data\), .*Deployment\/media\/sonarr \(\/data\) also mount: their pods can delete the repositories/,
  );
  // No app mounting /data: nothing to report.
  const unmounted = await checkWith((out) => {
    for (const app of ["plex", "radarr", "sabnzbd", "sonarr"])
      editObjects(out, app, (o) => {
        const pod = deployment(o).spec.template.spec;
        pod.volumes = pod.volumes.filter((v: any) => !v.hostPath || v.hostPath.path !== "/data");
      });
  }, undeclared);
  expect(unmounted.findings.filter((f) => f.rule === "backup-exposure")).toEqual([]);
});

it("validates with the committed CRD schemas alone: no CRD folder, no network", async () => {
  const out = referenceCopy("check-offline");
  const result = runScript("scripts/check.ts", ["--out", out], { HOMELAB_CRDS_DIR: join(root, ".test-out", "no-such-crd-folder") });
  expect(result.status).toBe(0);
  expect(result.stderr).not.toContain("CRD");
  expect(result.stdout).not.toContain("RecurringJob:");
});

it("npm run check prints file, object, rule and fix, and exits 1 on findings", async () => {
  // Its exit 0 on the reference lab: "validates with the committed CRD schemas alone" above.
  const out = referenceCopy("check-cli");
  editObjects(out, "sonarr", (o) => (deployment(o).spec.template.spec.containers[0].image = "lscr.io/linuxserver/sonarr:latest"));
  const result = runScript("scripts/check.ts", ["--out", out]);
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(
    "k8s/sonarr/manifests.yaml Deployment/media/sonarr: [image-pinned] image lscr.io/linuxserver/sonarr:latest is not pinned to a version tag (container sonarr). Fix: use registry/name:version",
  );
  expect(result.stdout).toMatch(/check: 1 finding in /);
});
