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
import { readYamlDocuments } from "../scripts/lib/read-yaml";
import { synthesize } from "../scripts/lib/synthesize";
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

  it("2: the Argo CD UI route in wave 0, its Gateway in wave 2", () => {
    const route = readYamlDocuments(tree.get("k8s/gateway/manifests.yaml")!).find((o) => o.kind === "HTTPRoute" && o.metadata.namespace === "argocd");
    expect(route).toBeDefined();
    let broken = withObjects("k8s/gateway/manifests.yaml", (o) =>
      o.splice(o.indexOf(o.find((x) => x.metadata.name === route.metadata.name && x.kind === "HTTPRoute")), 1),
    );
    broken = withObjects("k8s/argocd/manifests.yaml", (o) => o.push(route), broken);
    const [finding] = findings(broken, "sync-order");
    expect(finding.object).toBe("HTTPRoute/argocd/argocd-server");
    expect(finding.message).toMatch(
      /Application argocd \(wave 0\)\) attaches to Gateway gateway\/homelab, which Application gateway \(wave 2\) creates only later/,
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

describe("other references the check follows", () => {
  it("Secrets the bootstrap delivers: without the Cloudflare token, the issuers and external-dns wait forever", () => {
    const broken = withUserData(firstServer, (config) => {
      config.write_files = config.write_files.filter((f: any) => !f.path.endsWith("/cloudflare-api-token.yaml"));
    });
    const waiting = findings(broken, "sync-order").map((f) => f.object);
    expect(waiting).toEqual(
      expect.arrayContaining(["ClusterIssuer/letsencrypt-production", "ClusterIssuer/letsencrypt-staging", "Deployment/external-dns/external-dns"]),
    );
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

it("knows the app Secrets Terraform renders into app-secrets.yaml (an app reading them converges; without them it waits)", () => {
  const dir = scratch("convergence-app-secrets");
  const text = overlayReference({ "apps.1.secretEnv": ["API_KEY"] });
  writeFileSync(join(dir, "spec.yaml"), text);
  synthesize({ clusterFile: join(dir, "spec.yaml"), outDir: join(dir, "dist"), root });
  const withSecrets = readTree(join(dir, "dist"));
  const cluster = parseCluster(text, "spec.yaml");
  expect(checkConvergence(withSecrets, cluster)).toEqual([]);
  const broken = withUserData(
    firstServer,
    (config) => (config.write_files = config.write_files.filter((f: any) => !f.path.endsWith("/app-secrets.yaml"))),
    withSecrets,
  );
  expect(checkConvergence(broken, cluster).map((f) => f.object)).toEqual(["Deployment/media/sonarr"]);
});

describe("every valid fixture converges", () => {
  it.each(listFixtures("valid").map((f) => [f.name, f] as const))("%s", (name, fixture) => {
    const dir = scratch(`convergence-${name}`);
    writeFileSync(join(dir, "spec.yaml"), fixture.text);
    synthesize({ clusterFile: join(dir, "spec.yaml"), outDir: join(dir, "dist"), root });
    expect(checkConvergence(readTree(join(dir, "dist")), parseCluster(fixture.text, "spec.yaml"))).toEqual([]);
  });
});
