// The convergence check (npm run check): the reference lab, every valid fixture and the large
// lab converge; and each defect of issue 17 that the check is for, put back into a synthesized
// output, fails it with a message that names the object and the fix.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump } from "js-yaml";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import { firstBootPath } from "../infra/bootstrap/first-boot";
import { yamlDocuments, yamlText } from "../lib/yaml-text";
import { checkConvergence } from "../scripts/lib/check/convergence";
import { applyExemptions } from "../scripts/lib/check/findings";
import { exemptionsFromSpec } from "../scripts/lib/check/kubernetes-hygiene";
import { readYamlDocuments } from "../scripts/lib/read-yaml";
import { synthesize } from "../scripts/lib/synthesize";
import { writeLab } from "./helpers/sealing-key";
import { listFixtures, overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { readTree, scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const out = join(scratch("convergence"), "dist");
synthesize({ clusterFile: referenceSpec, outDir: out, root });
const tree: ReadonlyMap<string, string> = readTree(out);

type Tree = Map<string, string>;
const firstServer = "bootstrap/k3s-master-1.user-data.yaml";
const manifests = "/var/lib/rancher/k3s/server/manifests/";

/** A copy of the reference output with one file's objects edited. */
function withObjects(file: string, edit: (objects: any[]) => void, base: ReadonlyMap<string, string> = tree): Tree {
  const objects = readYamlDocuments(base.get(file)!);
  edit(objects);
  return new Map(base).set(file, yamlDocuments(objects));
}
/** A copy with a node's cloud-config edited. */
function withUserData(file: string, edit: (config: any) => void, base: ReadonlyMap<string, string> = tree): Tree {
  const config = parse(base.get(file)!);
  edit(config);
  return new Map(base).set(file, `#cloud-config\n${yamlText(config)}`);
}
/** A copy with one bootstrap manifest of the first server edited. */
const withBootstrapFile = (name: string, edit: (objects: any[]) => void, base: ReadonlyMap<string, string> = tree) =>
  withUserData(
    firstServer,
    (config) => {
      const file = config.write_files.find((f: any) => f.path === manifests + name);
      const objects = readYamlDocuments(file.content);
      edit(objects);
      file.content = yamlDocuments(objects);
    },
    base,
  );
const application = (objects: any[], name: string) => objects.find((o) => o.kind === "Application" && o.metadata.name === name);
const helmValues = (objects: any[], name: string) => application(objects, name).spec.sources.find((s: any) => s.chart).helm.valuesObject;
const apps = "k8s/argocd-apps/manifests.yaml";
const waveOf = (objects: any[], name: string) => Number(application(objects, name).metadata.annotations["argocd.argoproj.io/sync-wave"]);

const findings = (t: ReadonlyMap<string, string>, rule?: string) => checkConvergence(t, reference).filter((f) => !rule || f.rule === rule);

it("passes on the reference lab", () => {
  expect(findings(tree)).toEqual([]);
});

describe("each defect, put back, fails the check", () => {
  it("1: Cilium through the VIP and kube-vip through the Service address deadlock", () => {
    expect(findings(tree, "bootstrap")).toEqual([]);
    const viaVip = (values: any) => Object.assign(values, { k8sServiceHost: reference.network.apiVip, k8sServicePort: 6443 });
    let broken = withBootstrapFile("cilium.yaml", (o) => (o[0].spec.valuesContent = dump(viaVip(parse(o[0].spec.valuesContent)))));
    broken = withBootstrapFile(
      "kube-vip.yaml",
      (o) => {
        const container = o.find((x) => x.kind === "DaemonSet").spec.template.spec.containers[0];
        container.env = container.env.filter((e: any) => !e.name.startsWith("KUBERNETES_SERVICE_"));
      },
      broken,
    );
    const [deadlock] = findings(broken, "bootstrap").filter((f) => /deadlock/.test(f.message));
    expect(deadlock.message).toMatch(/kube-vip .* needs 10\.43\.0\.1:443, which cilium .* provides/);
    expect(deadlock.message).toMatch(/needs 10\.10\.10\.49:6443, which kube-vip/);
    expect(deadlock.fix).toMatch(/k8sServiceHost 127\.0\.0\.1, k8sServicePort 6444/);
    expect(deadlock.fix).toMatch(/KUBERNETES_SERVICE_HOST=127\.0\.0\.1/);
  });

  it("1: a Cilium operator that does not tolerate the control planes", () => {
    const broken = withBootstrapFile("cilium.yaml", (o) => {
      const values = parse(o[0].spec.valuesContent);
      delete values.operator.tolerations;
      o[0].spec.valuesContent = dump(values);
    });
    const [finding] = findings(broken, "bootstrap");
    expect(finding.object).toBe("Deployment/kube-system/cilium-operator");
    expect(finding.fix).toMatch(/operator\.tolerations/);
  });

  it("2: the Argo CD UI route in an Application before its Gateway's", () => {
    const route = readYamlDocuments(tree.get("k8s/gateway/manifests.yaml")!).find((o) => o.kind === "HTTPRoute" && o.metadata.namespace === "argocd");
    expect(route).toBeDefined();
    let broken = withObjects("k8s/gateway/manifests.yaml", (o) =>
      o.splice(o.indexOf(o.find((x) => x.metadata.name === route.metadata.name && x.kind === "HTTPRoute")), 1),
    );
    broken = withObjects("k8s/cilium/manifests.yaml", (o) => o.push(route), broken);
    const [finding] = findings(broken, "sync-order");
    expect(finding.object).toBe("HTTPRoute/argocd/argocd-server");
    expect(finding.message).toMatch(
      /Application cilium \(wave 1\)\) attaches to Gateway gateway\/homelab, which Application gateway \(wave 2\) creates only later/,
    );
    expect(finding.fix).toMatch(/at or after the Gateway's wave/);
  });

  it("3: no TLSRoute CRD before Cilium's operator starts", () => {
    const broken = withUserData(firstServer, (config) => {
      const script = config.write_files.find((f: any) => f.path === firstBootPath);
      script.content = script.content
        .split("\n")
        .filter((line: string) => !line.includes("tlsroutes"))
        .join("\n");
    });
    const [finding] = findings(broken, "bootstrap");
    expect(finding.message).toMatch(
      /Gateway API controller .* first starts from bootstrap file cilium\.yaml and checks once for the TLSRoute\.gateway\.networking\.k8s\.io v1alpha2 CRD/,
    );
    expect(finding.fix).toMatch(/sorts before cilium\.yaml/);
  });

  it("3: a GatewayClass only Helm's capabilities would create", () => {
    let broken = withObjects(apps, (o) => (helmValues(o, "cilium").gatewayAPI.gatewayClass.create = "auto"));
    broken = withBootstrapFile(
      "cilium.yaml",
      (o) => {
        const values = parse(o[0].spec.valuesContent);
        values.gatewayAPI.gatewayClass.create = "auto";
        o[0].spec.valuesContent = dump(values);
      },
      broken,
    );
    const [finding] = findings(broken, "sync-order");
    expect(finding.object).toBe("Gateway/gateway/homelab");
    expect(finding.fix).toMatch(/gatewayClass\.create "true"/);
  });

  it("4: a project that does not admit the namespace the Cilium chart creates", () => {
    expect(findings(tree, "admission")).toEqual([]);
    const broken = withObjects(apps, (o) => {
      const platform = o.find((x) => x.kind === "AppProject" && x.metadata.name === "platform");
      platform.spec.destinations = platform.spec.destinations.filter((d: any) => d.namespace !== "cilium-secrets");
    });
    const refused = findings(broken, "admission");
    expect(refused.map((f) => f.object)).toContain("Role/cilium-secrets/cilium-gateway-secrets");
    expect(refused[0].message).toMatch(
      /chart cilium 1\.18\.2, Application cilium .* refused by AppProject platform: namespace cilium-secrets is not among its destinations/,
    );
    expect(refused[0].fix).toMatch(/derive project platform's destinations/);
  });

  it("6: a GPU node without the label the device plugin's affinity needs", () => {
    const broken = withUserData("bootstrap/k3s-worker-gpu-1.user-data.yaml", (config) => {
      const file = config.write_files.find((f: any) => f.path === "/etc/rancher/k3s/config.yaml");
      const k3s = parse(file.content);
      k3s["node-label"] = k3s["node-label"].filter((l: string) => !l.startsWith("nvidia.com/gpu.present"));
      file.content = yamlText(k3s);
    });
    const unscheduled = findings(broken, "scheduling");
    expect(unscheduled.map((f) => f.object)).toEqual(["DaemonSet/nvidia-device-plugin/nvidia-device-plugin", "Deployment/media/plex"]);
    expect(unscheduled[0].message).toMatch(/places no pod on any node .*k3s-worker-gpu-1: its required node affinity .*nvidia\.com\/gpu\.present In true/);
    expect(unscheduled[1].message).toMatch(/no node it may run on advertises nvidia\.com\/gpu/);
  });

  it("7: Longhorn's node components without the GPU and VPN tolerations", () => {
    const broken = withObjects(apps, (o) => {
      const values = helmValues(o, "longhorn");
      delete values.longhornManager;
      delete values.defaultSettings.taintToleration;
    });
    const stuck = findings(broken, "scheduling");
    expect(stuck.map((f) => f.object)).toEqual(["Deployment/media/plex", "Deployment/media/sabnzbd"]);
    expect(stuck[0].message).toMatch(
      /mounts a longhorn volume, but longhorn-manager cannot run on k3s-worker-gpu-1 \(taint nvidia\.com\/gpu=true:NoSchedule is not tolerated\)/,
    );
    expect(stuck[0].fix).toMatch(/defaultSettings\.taintToleration/);
  });

  it("11: two whole-GPU apps on one GPU", () => {
    const plex = readYamlDocuments(tree.get("k8s/plex/manifests.yaml")!).find((o) => o.kind === "Deployment");
    const second = { ...plex, metadata: { ...plex.metadata, name: "jellyfin" } };
    const broken = withObjects("k8s/plex/manifests.yaml", (o) => o.push(second));
    const [finding] = findings(broken, "scheduling");
    expect(finding.object).toMatch(/^Deployment\/media\/(plex|jellyfin)$/);
    expect(finding.message).toMatch(/needs nvidia\.com\/gpu 1, but every one is taken \(k3s-worker-gpu-1 by Deployment\/media\/(plex|jellyfin)\)/);
    expect(finding.fix).toMatch(/timeSlicing/);
  });
});

describe("app volumes keep a scheduled backup and a restore path (rule backup)", () => {
  const sonarr = "k8s/sonarr/manifests.yaml";
  const claim = "PersistentVolumeClaim/media/sonarr-config";
  const of = (objects: any[], kind: string) => objects.find((o) => o.kind === kind);
  const backupFindings = (t: ReadonlyMap<string, string>) => findings(t, "backup");

  it("has none on the reference lab, whose every app volume is backed up and restored", () => {
    expect(backupFindings(tree)).toEqual([]);
    const claims = [...tree]
      .filter(([f]) => f.startsWith("k8s/"))
      .flatMap(([, text]) => readYamlDocuments(text).filter((o) => o.kind === "PersistentVolumeClaim"));
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(["plex-config", "prowlarr-config", "radarr-config", "sabnzbd-config", "sonarr-config"]);
  });

  it("fails a volume without its ReplicationSource", () => {
    const broken = withObjects(sonarr, (o) => o.splice(o.indexOf(of(o, "ReplicationSource")), 1));
    const [finding] = backupFindings(broken);
    expect(finding).toMatchObject({ object: claim, file: sonarr });
    expect(finding.message).toMatch(/has no scheduled backup: no ReplicationSource backs it up/);
    expect(finding.fix).toMatch(/trigger\.schedule and restic\.retain/);
  });

  it("fails a backup without a schedule, and one that keeps only the last backup", () => {
    const noSchedule = withObjects(sonarr, (o) => (of(o, "ReplicationSource").spec.trigger = { manual: "once" }));
    expect(backupFindings(noSchedule).map((f) => f.message)).toEqual([
      expect.stringMatching(/without a schedule \(trigger\.schedule\), so not daily but only by hand/),
    ]);
    const noRetain = withObjects(sonarr, (o) => delete of(o, "ReplicationSource").spec.restic.retain);
    expect(backupFindings(noRetain).map((f) => f.message)).toEqual([
      expect.stringMatching(/without restic\.retain, so every backup but the last is forgotten/),
    ]);
  });

  it("fails a volume without a dataSourceRef, or one naming a restore that does not exist", () => {
    const noRef = withObjects(sonarr, (o) => delete of(o, "PersistentVolumeClaim").spec.dataSourceRef);
    expect(backupFindings(noRef)).toEqual([
      expect.objectContaining({
        object: claim,
        message: expect.stringMatching(/has no restore path: it has no dataSourceRef, so a rebuilt cluster creates it empty/),
      }),
    ]);
    const noRestore = withObjects(sonarr, (o) => o.splice(o.indexOf(of(o, "ReplicationDestination")), 1));
    expect(backupFindings(noRestore).map((f) => f.message)).toEqual([
      expect.stringMatching(/names ReplicationDestination sonarr-config, which this output does not create/),
    ]);
  });

  it("fails a restore in a later wave than its volume: Argo CD would wait for the claim forever", () => {
    const broken = withObjects(sonarr, (o) => (of(o, "ReplicationDestination").metadata.annotations["argocd.argoproj.io/sync-wave"] = "1"));
    expect(backupFindings(broken).map((f) => f.message)).toEqual([
      expect.stringMatching(/waits for ReplicationDestination\/media\/sonarr-config, which comes in a later wave of Application sonarr .*never applied/),
    ]);
  });

  it("fails a restore the populator cannot use, into a volume of another size, or from another repository", () => {
    const direct = withObjects(sonarr, (o) => (of(o, "ReplicationDestination").spec.restic.copyMethod = "Direct"));
    expect(backupFindings(direct).map((f) => f.message)).toEqual([expect.stringMatching(/copyMethod Direct, and VolSync fills a claim only from a snapshot/)]);
    const resized = withObjects(sonarr, (o) => (of(o, "PersistentVolumeClaim").spec.resources.requests.storage = "10Gi"));
    expect(backupFindings(resized).map((f) => f.message)).toEqual([
      expect.stringMatching(/requests 10Gi, but .* restores into 5Gi: Longhorn restores a snapshot only into a volume of its own size/),
    ]);
    const elsewhere = withObjects(sonarr, (o) => (of(o, "ReplicationDestination").spec.restic.repository = "radarr-config-restic"));
    expect(backupFindings(elsewhere).map((f) => f.message)).toEqual([
      expect.stringMatching(/backed up to repository Secret sonarr-config-restic but restored from radarr-config-restic/),
    ]);
  });

  it("fails two volumes backed up into one repository", () => {
    const broken = withObjects(sonarr, (o) => (of(o, "ReplicationSource").spec.restic.repository = "radarr-config-restic"));
    expect(backupFindings(broken).map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /backs up (sonarr|radarr)-config into repository Secret radarr-config-restic, as ReplicationSource\/media\/(sonarr|radarr)-config does/,
        ),
      ]),
    );
  });

  it("fails when the repository server the movers' Secret points at is not served", () => {
    const broken = withObjects("k8s/backup-repository/manifests.yaml", (o) => o.splice(o.indexOf(of(o, "Service")), 1));
    const unreachable = findings(broken, "sync-order").filter((f) => /Service backup-repository\/rest-server/.test(f.message));
    expect(unreachable.map((f) => f.object)).toEqual(
      expect.arrayContaining(["ReplicationSource/media/sonarr-config", "ReplicationDestination/media/sonarr-config"]),
    );
    expect(unreachable[0].message).toMatch(/its repository rest:http:\/\/rest-server\.backup-repository\.svc:8000\/media\/[a-z]+-config is not reachable/);
  });

  it("fails when the movers' snapshot class is missing, or VolSync starts before the snapshot CRDs", () => {
    const noClass = withObjects("k8s/snapshot-controller/manifests.yaml", (o) => o.splice(o.indexOf(of(o, "VolumeSnapshotClass")), 1));
    const missing = findings(noClass, "sync-order").filter((f) => /VolumeSnapshotClass longhorn-snapshot/.test(f.message));
    expect(missing.map((f) => f.object)).toEqual(expect.arrayContaining(["ReplicationSource/media/sonarr-config", "ReplicationDestination/media/plex-config"]));
    expect(missing[0].message).toMatch(/needs VolumeSnapshotClass longhorn-snapshot, which nothing in this output creates; no snapshot is taken/);
    const sameWave = withObjects(apps, (o) => {
      const wave = application(o, "snapshot-controller").metadata.annotations["argocd.argoproj.io/sync-wave"];
      application(o, "volsync").metadata.annotations["argocd.argoproj.io/sync-wave"] = wave;
    });
    const [start] = findings(sameWave, "bootstrap").filter((f) => f.object === "Application/argocd/volsync");
    expect(start.message).toMatch(
      /VolSync's manager \(chart volsync 0\.16\.0\) first starts from Application volsync .* VolumeSnapshot\.snapshot\.storage\.k8s\.io v1 CRD, which Application snapshot-controller .* installs in the same wave, side by side/,
    );
    expect(start.fix).toMatch(/earlier wave/);
  });
});

describe("other references the check follows", () => {
  it("sealed Secrets: without the Cloudflare token's SealedSecret, the issuers and external-dns wait forever", () => {
    const broken = withObjects("k8s/cert-manager/manifests.yaml", (o) =>
      o.splice(
        o.findIndex((x) => x.kind === "SealedSecret"),
        1,
      ),
    );
    const brokenToo = withObjects(
      "k8s/external-dns/manifests.yaml",
      (o) =>
        o.splice(
          o.findIndex((x) => x.kind === "SealedSecret"),
          1,
        ),
      broken,
    );
    const waiting = findings(brokenToo, "sync-order").map((f) => f.object);
    expect(waiting).toEqual(
      expect.arrayContaining(["ClusterIssuer/letsencrypt-production", "ClusterIssuer/letsencrypt-staging", "Deployment/external-dns/external-dns"]),
    );
  });

  it("the sealing key: the controller that finds no key at start makes its own, which decrypts nothing in git", () => {
    const broken = withUserData(firstServer, (config) => {
      config.write_files = config.write_files.filter((f: any) => !f.path.endsWith("/sealing-key.yaml"));
    });
    expect(findings(broken, "sync-order").map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment\/sealed-secrets\/sealed-secrets \(chart sealed-secrets 2\.18\.5, .*needs Secret sealed-secrets\/sealed-secrets-key/),
      ]),
    );
  });

  it("a SealedSecret waits for the controller that decrypts it: in a wave before the controller's, its Secret comes late (or the sync never gets past it, counted in the health)", () => {
    // The CRD in time (here from the bootstrap), the controller only in wave 3.
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "sealedsecrets.bitnami.com" },
      spec: {
        group: "bitnami.com",
        scope: "Namespaced",
        names: { kind: "SealedSecret", plural: "sealedsecrets" },
        versions: [{ name: "v1alpha1", served: true, storage: true }],
      },
    };
    const late = withObjects(apps, (o) => (application(o, "sealed-secrets").metadata.annotations["argocd.argoproj.io/sync-wave"] = "3"));
    const withCrd = withBootstrapFile("kube-vip.yaml", (o) => o.push(crd), late);
    const stuck = findings(withCrd, "sync-order").filter((f) => f.object.startsWith("SealedSecret/"));
    // cert-manager and the certificate carry's password (wave 1) and the namespaces' VPN credentials
    // (wave 2) wait; the last wave's do not.
    expect(stuck.map((f) => f.object).sort()).toEqual([
      "SealedSecret/backup-repository/certificate-carry-restic",
      "SealedSecret/cert-manager/cloudflare-api-token",
      "SealedSecret/media/vpn-general",
    ]);
    expect(stuck[0].message).toMatch(
      /becomes its Secret only once it is decrypted, and Application sealed-secrets \(wave 3\) runs the controller that decrypts it only later: what reads the Secret starts without it/,
    );
    // Counted in its Application's health, it would hold the sync.
    const counted = withObjects(
      "k8s/cert-manager/manifests.yaml",
      (o) => delete o.find((x) => x.kind === "SealedSecret").metadata.annotations["argocd.argoproj.io/ignore-healthcheck"],
      withCrd,
    );
    expect(findings(counted, "sync-order").find((f) => f.object === "SealedSecret/cert-manager/cloudflare-api-token")!.message).toMatch(
      /stays Progressing until it is decrypted, and Application sealed-secrets \(wave 3\) runs the controller that decrypts it only later: the sync waits for it forever/,
    );
    // Without the CRD in time, the CRD part of the rule says so, once.
    const crdLate = findings(late, "sync-order").filter((f) => f.object === "SealedSecret/cert-manager/cloudflare-api-token");
    expect(crdLate.map((f) => f.message)).toEqual([expect.stringMatching(/Application sealed-secrets \(wave 3\) installs it only later/)]);
  });

  it("the VIP: nodes that join through it need something that holds it", () => {
    const broken = withUserData(firstServer, (config) => {
      config.write_files = config.write_files.filter((f: any) => !f.path.endsWith("/kube-vip.yaml"));
    });
    const [finding] = findings(broken, "bootstrap");
    expect(finding.message).toMatch(
      /k3s joining through https:\/\/10\.10\.10\.49:6443 reaches the API at 10\.10\.10\.49:6443 .*nothing in the bootstrap holds the VIP/,
    );
  });

  it("a route naming a listener its Gateway lacks is the reference rule's finding, not reported here again", () => {
    const broken = withObjects("k8s/sonarr/manifests.yaml", (o) => (o.find((x) => x.kind === "HTTPRoute").spec.parentRefs[0].sectionName = "httpz"));
    expect(findings(broken)).toEqual([]);
  });
});

it("knows an app's Secret exists once its SealedSecret is decrypted (an app reading it converges; without it, it waits)", () => {
  const dir = scratch("convergence-app-secrets");
  const text = overlayReference({ "apps.1.secretEnv": ["API_KEY"] });
  synthesize({ clusterFile: writeLab(dir, "spec.yaml", { text, sealed: [["sonarr", "API_KEY"]] }), outDir: join(dir, "dist"), root });
  const withSecrets = readTree(join(dir, "dist"));
  const cluster = parseCluster(text, "spec.yaml");
  expect(checkConvergence(withSecrets, cluster)).toEqual([]);
  const broken = withObjects(
    "k8s/sonarr/manifests.yaml",
    (o) =>
      o.splice(
        o.findIndex((x) => x.kind === "SealedSecret" && x.metadata.name === "sonarr-secrets"),
        1,
      ),
    withSecrets,
  );
  expect(checkConvergence(broken, cluster).map((f) => f.object)).toEqual(["Deployment/media/sonarr"]);
  // Without its restic repository's, its volume's backup and restore wait.
  const noRepository = withObjects(
    "k8s/sonarr/manifests.yaml",
    (o) =>
      o.splice(
        o.findIndex((x) => x.kind === "SealedSecret" && x.metadata.name === "sonarr-config-restic"),
        1,
      ),
    withSecrets,
  );
  expect(checkConvergence(noRepository, cluster).map((f) => f.object)).toEqual([
    "ReplicationSource/media/sonarr-config",
    "ReplicationDestination/media/sonarr-config",
  ]);
});

describe("every valid fixture converges", () => {
  it.each(listFixtures("valid").map((f) => [f.name, f] as const))("%s", (name, fixture) => {
    const dir = scratch(`convergence-${name}`);
    synthesize({ clusterFile: writeLab(dir, "spec.yaml", fixture), outDir: join(dir, "dist"), root });
    const cluster = parseCluster(fixture.text, "spec.yaml");
    // What the spec chose and declared (app volumes without backups) is exempt, as in npm run check.
    expect(applyExemptions(checkConvergence(readTree(join(dir, "dist")), cluster), exemptionsFromSpec(cluster)).findings).toEqual([]);
  });
});

describe("first boot and the GitOps loop (issues 26, 29): each defect, put back, fails the check", () => {
  const deployment = (objects: any[], name: string) => objects.find((o) => o.kind === "Deployment" && o.metadata.name === name);

  it("26.1: a probe port the VPN sidecar's firewall drops (gluetun's health port left out of FIREWALL_INPUT_PORTS)", () => {
    expect(findings(tree, "vpn-firewall")).toEqual([]);
    const broken = withObjects("k8s/sabnzbd/manifests.yaml", (o) => {
      const gluetun = deployment(o, "sabnzbd").spec.template.spec.initContainers.find((c: any) => c.name === "gluetun");
      gluetun.env.find((e: any) => e.name === "FIREWALL_INPUT_PORTS").value = "8080";
    });
    const dropped = findings(broken, "vpn-firewall");
    expect(dropped.map((f) => f.object)).toEqual(["Deployment/media/sabnzbd", "Deployment/media/sabnzbd"]);
    expect(dropped[0].message).toMatch(
      /startupProbe of container gluetun asks port 9999, which the firewall of its VPN sidecar gluetun drops \(FIREWALL_INPUT_PORTS 8080\)/,
    );
    expect(dropped[0].message).toMatch(/no container after this native sidecar ever starts/);
    expect(dropped[0].fix).toMatch(/open port 9999 in gluetun's FIREWALL_INPUT_PORTS/);
  });

  it("26.1: the app's own probe port counts too, by name as well as by number", () => {
    const broken = withObjects("k8s/sabnzbd/manifests.yaml", (o) => {
      const app = deployment(o, "sabnzbd").spec.template.spec.containers[0];
      app.readinessProbe = { tcpSocket: { port: "admin" } };
      app.ports.push({ name: "admin", containerPort: 9090 });
    });
    const [finding] = findings(broken, "vpn-firewall");
    expect(finding.message).toMatch(/readinessProbe of container sabnzbd asks port 9090/);
  });

  const healthKey = "resource.customizations.health.argoproj.io_Application";
  /** The health check without its root exemption: the first `if … end` block of the script. */
  const rollsUpRoot = (lua: string) => lua.replace(/if obj\.metadata\.name == [^\n]*\n(?:.*\n)*?end\n/, "");
  const withArgocdValues = (edit: (values: any) => void, base: ReadonlyMap<string, string> = tree) => {
    const edited = withObjects(apps, (o) => edit(helmValues(o, "argocd")), base);
    return withBootstrapFile(
      "argocd.yaml",
      (o) => {
        const values = parse(o[0].spec.valuesContent);
        edit(values);
        o[0].spec.valuesContent = dump(values);
      },
      edited,
    );
  };

  it("29.1: the root Application waiting on its children's health (the exemption dropped from both copies)", () => {
    expect(findings(tree, "root-health")).toEqual([]);
    const broken = withArgocdValues((values) => (values.configs.cm[healthKey] = rollsUpRoot(values.configs.cm[healthKey])));
    const waiting = findings(broken, "root-health");
    expect(waiting.map((f) => f.object)).toEqual(["HelmChart/kube-system/argocd", "Application/argocd/argocd"]);
    expect(waiting[1].message).toMatch(/gives the root Application argocd\/root its children's health \(Degraded for a Degraded child\)/);
    expect(waiting[1].fix).toMatch(/except the root Application's, by its name, in both copies/);
  });

  it("29.1: a check that passes everything (waves no longer wait), and copies that differ", () => {
    const healthy = `hs = {}\nhs.status = "Healthy"\nreturn hs\n`;
    const broken = withObjects(apps, (o) => (helmValues(o, "argocd").configs.cm[healthKey] = healthy));
    const messages = findings(broken, "root-health").map((f) => f.message);
    expect(messages).toContainEqual(expect.stringMatching(/a Degraded child Application the health Healthy: the root Application's waves no longer wait/));
    expect(messages).toContainEqual(
      expect.stringMatching(/the Application health check differs between bootstrap file argocd\.yaml \(HelmChart argocd\) and Application argocd/),
    );
  });

  it("29.2: an Application that retries the commit it started on (retry.refresh dropped), the root and its bootstrap copy included", () => {
    expect(findings(tree, "sync-retry")).toEqual([]);
    let broken = withObjects(apps, (o) => delete application(o, "root").spec.syncPolicy.retry.refresh);
    broken = withBootstrapFile("root-application.yaml", (o) => delete o[0].spec.syncPolicy.retry.refresh, broken);
    const pinned = findings(broken, "sync-retry");
    expect(pinned.map((f) => [f.file, f.object])).toEqual([
      [firstServer, "Application/argocd/root"],
      [apps, "Application/argocd/root"],
    ]);
    expect(pinned[1].message).toMatch(/retries a failed sync without limit with the revision it started on \(retry\.refresh unset\)/);
    expect(pinned[1].fix).toMatch(/retry\.refresh: true on every Application/);
  });

  it("29.2: unlimited retries on an Application a commit can fix only through its spec (a chart version, Helm values, an upstream tag)", () => {
    expect(findings(tree, "sync-retry")).toEqual([]);
    const broken = withObjects(apps, (o) => ["gateway-api", "cert-manager"].forEach((name) => (application(o, name).spec.syncPolicy.retry.limit = -1)));
    const pinned = findings(broken, "sync-retry");
    expect(pinned.map((f) => f.object)).toEqual(["Application/argocd/gateway-api", "Application/argocd/cert-manager"]);
    expect(pinned[1].message).toMatch(
      /Application\/argocd\/cert-manager \(Application cert-manager \(wave \d\)\) retries a failed sync without limit, and every retry syncs the sources its operation recorded when it started \(chart cert-manager v1\.21\.1 and its values\)/,
    );
    expect(pinned[0].message).toMatch(/\(https:\/\/github\.com\/kubernetes-sigs\/gateway-api config\/crd\/standard at v1\.3\.0\)/);
    expect(pinned[1].fix).toMatch(/a finite retry limit .*charts\/argocd\/retry\.ts/);
  });

  it("29.2: refresh on an Argo CD that predates it (chart argo-cd before 9.1.0)", () => {
    const broken = withObjects(apps, (o) => (application(o, "argocd").spec.sources[0].targetRevision = "8.5.0"));
    const [old] = findings(broken, "sync-retry");
    expect(old.object).toBe("Application/argocd/argocd");
    expect(old.message).toMatch(/installs argo-cd 8\.5\.0 \(Argo CD before v3\.2\), whose Application CRD has no retry\.refresh/);
  });

  it("admission: a cluster-scoped kind sharing only its group, or only its kind, with a whitelist entry is refused", () => {
    // The apps project lists core/Namespace only. PersistentVolume shares its group, example.com/Namespace its kind.
    const broken = withObjects("k8s/sonarr/manifests.yaml", (o) =>
      o.push(
        { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "stray-volume" }, spec: {} },
        { apiVersion: "example.com/v1", kind: "Namespace", metadata: { name: "look-alike" } },
      ),
    );
    const refused = findings(broken, "admission");
    expect(refused.map((f) => f.object)).toEqual(["PersistentVolume/stray-volume", "Namespace/look-alike"]);
    expect(refused[0].message).toMatch(/refused by AppProject apps: the cluster-scoped kind core\/PersistentVolume is not in its clusterResourceWhitelist/);
    expect(refused[1].message).toMatch(/the cluster-scoped kind example\.com\/Namespace is not in its clusterResourceWhitelist/);
  });

  it("26.3: a leaf in an early wave (kured, metrics-server, system-upgrade and the GPU plugin back in wave 0) holds back every later wave", () => {
    expect(findings(tree, "wave-gate")).toEqual([]);
    const early = ["kured", "metrics-server", "system-upgrade", "nvidia-device-plugin"];
    const broken = withObjects(apps, (o) => early.forEach((name) => (application(o, name).metadata.annotations["argocd.argoproj.io/sync-wave"] = "0")));
    const gates = findings(broken, "wave-gate");
    // Nothing needs any of them applied first: Plex's nvidia.com/gpu is the plugin's to advertise
    // at run time (the pod waits Pending until then), and its RuntimeClass is k3s's.
    expect(gates.map((f) => f.object).sort()).toEqual([
      "Application/argocd/kured",
      "Application/argocd/metrics-server",
      "Application/argocd/nvidia-device-plugin",
      "Application/argocd/system-upgrade",
    ]);
    const kured = gates.find((f) => f.object === "Application/argocd/kured")!;
    expect(kured.message).toMatch(
      /Application kured \(wave 0\) gates every later wave, yet nothing after it needs it: .* never syncs cilium, cert-manager, [a-z-]+, [a-z-]+ and \d+ more/,
    );
    expect(kured.fix).toMatch(/belongs in the last wave/);
  });

  it("26.3: the GPU plugin put back one wave before the apps: a GPU node without its driver holds every app's sync", () => {
    const broken = withObjects(
      apps,
      (o) => (application(o, "nvidia-device-plugin").metadata.annotations["argocd.argoproj.io/sync-wave"] = String(waveOf(o, "plex") - 1)),
    );
    const [gate, ...others] = findings(broken, "wave-gate");
    expect(others).toEqual([]);
    expect(gate.object).toBe("Application/argocd/nvidia-device-plugin");
    expect(gate.message).toMatch(
      /Application nvidia-device-plugin \(wave \d\) gates every later wave, yet nothing after it needs it: .* never syncs .* and \d+ more/,
    );
    expect(gate.message).toMatch(
      /; plex requests nvidia\.com\/gpu, which is no reason: a pod that requests an extended resource waits Pending until the plugin advertises it/,
    );
  });

  it("26.3: Plex's RuntimeClass nvidia is k3s's own (packaged runtimes), so its pods are admitted before the plugin's Application syncs", () => {
    expect(findings(tree, "sync-order")).toEqual([]);
    const broken = withUserData(firstServer, (config) => {
      const file = config.write_files.find((f: any) => f.path === "/etc/rancher/k3s/config.yaml");
      const k3s = parse(file.content);
      k3s.disable = [...k3s.disable, "runtimes"];
      file.content = yamlText(k3s);
    });
    const missing = findings(broken, "sync-order");
    expect(missing.map((f) => f.object)).toEqual(["Deployment/media/plex"]);
    expect(missing[0].message).toMatch(/needs RuntimeClass nvidia, which nothing in this output creates/);
  });

  it("26.3: PruneLast put back (root, both copies, and the gateway): pruning becomes a wave after the last, which then waits", () => {
    const pruneLast = (app: any) => (app.spec.syncPolicy.syncOptions ??= []).push("PruneLast=true");
    let broken = withObjects(apps, (o) => ["root", "gateway"].forEach((name) => pruneLast(application(o, name))));
    broken = withBootstrapFile("root-application.yaml", (o) => pruneLast(o[0]), broken);
    const held = findings(broken, "wave-gate");
    expect(held.map((f) => [f.file, f.object])).toEqual([
      [firstServer, "Application/argocd/root"],
      [apps, "Application/argocd/root"],
      ["k8s/gateway/manifests.yaml", "Application/argocd/gateway"],
    ]);
    expect(held[2].message).toMatch(
      /Application argocd\/gateway \(Application gateway \(wave \d\)\) syncs with PruneLast=true: a sync that deletes anything waits for every resource of its last wave to be Healthy before it prunes/,
    );
    expect(held[2].fix).toMatch(/drop PruneLast=true/);
  });

  it("mutation audit: Cilium moved into the Gateway API CRDs' wave (its operator restarts on an upgrade before the CRDs it checks once)", () => {
    const broken = withObjects(apps, (o) => (application(o, "cilium").metadata.annotations["argocd.argoproj.io/sync-wave"] = String(waveOf(o, "gateway-api"))));
    const restarts = findings(broken, "bootstrap");
    expect(restarts.map((f) => f.object)).toEqual(Array(6).fill("Application/argocd/cilium"));
    expect(restarts.map((f) => f.message)).toContainEqual(
      expect.stringMatching(
        /Gateway API controller .* restarts whenever Application cilium \(wave 0\) changes it and checks once for the TLSRoute\.gateway\.networking\.k8s\.io v1alpha2 CRD, which Application gateway-api \(wave 0\) installs in the same wave, side by side/,
      ),
    );
    expect(restarts[0].fix).toMatch(/install the CRD in an earlier wave/);
  });

  it("mutation audit: an HTTPRoute backend port that no port of its Service has", () => {
    expect(findings(tree, "reference")).toEqual([]);
    const broken = withObjects("k8s/sonarr/manifests.yaml", (o) => (o.find((x) => x.kind === "HTTPRoute").spec.rules[0].backendRefs[0].port = 8990));
    const [finding] = findings(broken, "reference");
    expect(finding.object).toBe("HTTPRoute/media/sonarr");
    expect(finding.message).toMatch(/backend Service media\/sonarr port 8990, which the Service does not have \(it has 8989\)/);
    expect(finding.fix).toMatch(/a port of the Service/);
  });

  it("29.4: a direct-access Service (externalTrafficPolicy Local) announced by the general L2 policy from nodes its pod never runs on", () => {
    expect(findings(tree, "l2-local")).toEqual([]);
    const broken = withObjects(
      "k8s/plex/manifests.yaml",
      (o) => delete o.find((x) => x.metadata.name === "plex-direct").metadata.labels["homelab.dev/l2-announcement"],
    );
    const [finding] = findings(broken, "l2-local");
    expect(finding.object).toBe("Service/media/plex-direct");
    expect(finding.message).toMatch(
      /has externalTrafficPolicy Local, but CiliumL2AnnouncementPolicy lab-l2 may announce it from k3s-worker-1, .*where none of its pods can run/,
    );
    expect(finding.fix).toMatch(/a policy of its own whose nodeSelector selects only the nodes its pods may run on/);
  });

  it("29.4: an app on any worker with direct access is announced from the untainted workers only (another lab's shape)", () => {
    const dir = scratch("convergence-direct-any");
    const text = overlayReference({ "apps.1.loadBalancerIp": "10.10.10.102" });
    writeFileSync(join(dir, "spec.yaml"), text);
    synthesize({ clusterFile: join(dir, "spec.yaml"), outDir: join(dir, "dist"), root });
    const out = readTree(join(dir, "dist"));
    expect(checkConvergence(out, parseCluster(text, "spec.yaml")).filter((f) => f.rule === "l2-local")).toEqual([]);
    const policy = readYamlDocuments(out.get("k8s/cilium/manifests.yaml")!).find((o) => o.metadata.name === "direct-media-sonarr");
    expect(policy.spec.nodeSelector.matchExpressions.map((e: any) => `${e.key} ${e.operator}`)).toEqual([
      "node-role.kubernetes.io/control-plane DoesNotExist",
      "homelab.dev/gpu-vendor DoesNotExist",
      "homelab.dev/vpn DoesNotExist",
    ]);
  });

  it("29.3: the wildcard certificate back in front of the Gateway (wave -1, in the Application's health, no temporary certificate)", () => {
    expect(findings(tree, "certificate-gate")).toEqual([]);
    const broken = withObjects("k8s/gateway/manifests.yaml", (o) => {
      const cert = o.find((x) => x.kind === "Certificate");
      cert.metadata.annotations = { "argocd.argoproj.io/sync-wave": "-1", "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" };
    });
    const gates = findings(broken, "certificate-gate");
    expect(gates.map((f) => f.object)).toEqual(Array(3).fill("Certificate/gateway/wildcard"));
    expect(gates.map((f) => f.message)).toEqual([
      expect.stringMatching(/\(Application gateway \(wave 2\), ACME ClusterIssuer letsencrypt-production\) counts in its Application's health/),
      expect.stringMatching(/is in resource wave -1, before its Application's last \(0\)/),
      expect.stringMatching(/writes Secret wildcard-tls, which a Gateway listener reads/),
    ]);
    expect(gates.map((f) => f.fix)).toEqual([
      expect.stringMatching(/ignore-healthcheck: "true"/),
      expect.stringMatching(/its Application's last/),
      expect.stringMatching(/issue-temporary-certificate: "true"/),
    ]);
  });

  it("a SealedSecret that cannot be decrypted holds no wave: out of its Application's health before the last wave, in it in the last", () => {
    // A key not delivered, a value sealed for another key or a Secret not handed over: the
    // SealedSecret is Degraded (argo-cd v3.4.4 resource_customizations/bitnami.com/SealedSecret/health.lua),
    // the controller gives up after 5 tries (sealed-secrets v0.36.6 pkg/controller/controller.go#L314-L321),
    // and root's sync fails at that wave on every retry (gitops-engine/pkg/sync/sync_context.go#L543-L553).
    expect(findings(tree, "sealed-secret-gate")).toEqual([]);
    const sealed = (file: string) => readYamlDocuments(tree.get(file)!).find((o: any) => o.kind === "SealedSecret");
    expect(sealed("k8s/cert-manager/manifests.yaml").metadata.annotations).toMatchObject({ "argocd.argoproj.io/ignore-healthcheck": "true" });
    expect(sealed("k8s/namespaces/manifests.yaml").metadata.annotations).toMatchObject({ "argocd.argoproj.io/ignore-healthcheck": "true" });
    // The last wave holds nothing back: there its Degraded health shows on its Application, as a signal.
    expect(sealed("k8s/victoria-metrics/manifests.yaml").metadata.annotations["argocd.argoproj.io/ignore-healthcheck"]).toBeUndefined();
    const broken = withObjects(
      "k8s/namespaces/manifests.yaml",
      (o) => delete o.find((x) => x.kind === "SealedSecret").metadata.annotations["argocd.argoproj.io/ignore-healthcheck"],
    );
    const [gate, ...more] = findings(broken, "sealed-secret-gate");
    expect(more).toEqual([]);
    expect(gate.object).toBe("SealedSecret/media/vpn-general");
    expect(gate.message).toMatch(
      /\(Application namespaces \(wave 2\)\) counts in its Application's health: one that cannot be decrypted .* is Degraded until the controller restarts, and the root Application stops before every later wave/,
    );
    expect(gate.fix).toMatch(/ignore-healthcheck: "true"/);
  });
});
