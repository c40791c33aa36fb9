// Item 10 of issue 17: after bootstrap, Argo CD is the one owner of what the bootstrap installed.
// The bootstrap copies are built from the same source and version as Argo CD's (so taking over
// changes nothing); Argo CD marks k3s's HelmCharts unmanaged (k3s-io/helm-controller@v0.16.13:
// pkg/controllers/chart/chart.go#L40, #L403-L417), and a timer on the first server then makes k3s
// skip the files Argo CD now owns (X.yaml.skip), so a k3s restart re-applies none of them.
// Never `disable:` them: k3s would delete their objects, and with them Cilium and Argo CD.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import { renderApplications } from "../charts/k8s-app";
import { gatewayApiDownloadCrds, gatewayApiCrds } from "../charts/platform/gateway-api";
import { autoDeployManifests } from "../infra/bootstrap/auto-deploy";
import { handoverFiles, handoverScript } from "../infra/bootstrap/handover";
import { k3sConfig } from "../infra/bootstrap/k3s-config";
import { renderUserData } from "../infra/user-data";
import { bootLines, manifestDownloads } from "../scripts/lib/check/convergence/read-bootstrap";
import { referenceSpec } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const rendered = renderApplications(reference);
const argoObjects = [...rendered.entries()].filter(([dir]) => dir !== "argocd-apps").flatMap(([, objects]) => objects);
const applications = rendered.get("argocd-apps")!.filter((o: any) => o.kind === "Application");
const bootstrap = autoDeployManifests(reference);
const docs = (file: string) => parseAllDocuments(bootstrap.get(file)!).map((d) => d.toJS() as any);
const firstServer = parse(renderUserData(reference, reference.vms[0]));

describe("the bootstrap copies are Argo CD's own", () => {
  it("creates every Namespace exactly as Argo CD renders it", () => {
    const bootstrapNamespaces = [...bootstrap.keys()].flatMap((file) => docs(file).filter((o) => o.kind === "Namespace"));
    expect(bootstrapNamespaces.map((n) => n.metadata.name).sort()).toEqual(["sealed-secrets"]);
    // Plus k3s's own label that keeps it should a later version of the file lack it (k3s-facts.ts k3sNeverPruneLabel):
    // Argo CD applies client-side and leaves a label it never applied alone.
    for (const ns of bootstrapNamespaces) {
      const { "objectset.rio.cattle.io/prune": keep, ...labels } = ns.metadata.labels;
      expect(keep).toBe("false");
      expect({ ...ns, metadata: { ...ns.metadata, labels } }).toEqual(
        argoObjects.find((o: any) => o.kind === "Namespace" && o.metadata.name === ns.metadata.name),
      );
    }
  });

  it("downloads the Gateway API CRDs of the gateway-api Application: same tag, same files", () => {
    const app = applications.find((a: any) => a.metadata.name === "gateway-api");
    const downloads = manifestDownloads({ file: "", config: firstServer }).map(([, url]) => gatewayApiDownloadCrds(url)!);
    expect(downloads.map((d: any) => d.version)).toEqual(app.spec.sources.map((s: any) => s.targetRevision));
    const managed = app.spec.sources.flatMap((s: any) => gatewayApiCrds({ path: s.path, include: s.directory?.include }));
    expect(downloads.flatMap((d: any) => d.crds)).toEqual(managed);
  });

  it("never lists a bootstrap file in k3s's disable (that deletes what the file created)", () => {
    const basenames = new Set([...bootstrap.keys(), ...handoverFiles(reference)].map((f) => f.replace(/\.yaml$/, "")));
    for (const vm of reference.vms.filter((v) => v.role === "control-plane")) {
      for (const disabled of (k3sConfig(reference, vm).disable as string[]) ?? []) expect(basenames.has(disabled)).toBe(false);
    }
  });
});

describe("Argo CD takes over", () => {
  it("marks k3s's HelmCharts of Cilium and itself unmanaged, applying only that annotation (server-side)", () => {
    for (const [dir, name] of [
      ["cilium", "cilium"],
      ["argocd", "argocd"],
    ]) {
      const stub = rendered.get(dir)!.find((o: any) => o.kind === "HelmChart");
      const [bootstrapChart] = docs(`${name}.yaml`);
      expect(stub.metadata).toMatchObject({ name: bootstrapChart.metadata.name, namespace: bootstrapChart.metadata.namespace });
      expect(stub.metadata.annotations).toEqual({
        "helmcharts.helm.cattle.io/unmanaged": "true",
        "argocd.argoproj.io/sync-options": "ServerSideApply=true,SkipDryRunOnMissingResource=true",
      });
      expect(stub.spec).toBeUndefined();
    }
  });

  it("then skips exactly the bootstrap files whose objects Argo CD manages", () => {
    expect(handoverFiles(reference)).toEqual([
      "00-gateway-api-standard.yaml",
      "00-gateway-api-tlsroutes.yaml",
      "cilium.yaml",
      "argocd.yaml",
      "root-application.yaml",
    ]);
    const files = firstServer.write_files.map((f: any) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "/usr/local/sbin/homelab-handover",
        "/etc/systemd/system/homelab-handover.service",
        "/etc/systemd/system/homelab-handover.timer",
      ]),
    );
    expect(bootLines({ file: "", config: firstServer })).toContain("systemctl enable --now homelab-handover.timer");
    const second = parse(renderUserData(reference, reference.vms[1]));
    expect(second.write_files.map((f: any) => f.path)).not.toContain("/usr/local/sbin/homelab-handover");
  });
});

describe("the handover script (run under sh with a stand-in k3s)", () => {
  const script = handoverScript(reference);

  function run(annotations: Record<string, string>) {
    const dir = scratch(`handover-${Object.values(annotations).join("-")}`);
    const manifests = join(dir, "manifests");
    const bin = join(dir, "bin");
    mkdirSync(manifests);
    mkdirSync(bin);
    for (const file of [...handoverFiles(reference), "kube-vip.yaml", "cloudflare-api-token.yaml"]) writeFileSync(join(manifests, file), "");
    // k3s kubectl -n kube-system get helmchart <name> -o jsonpath=…: the annotation, or nothing.
    writeFileSync(
      join(bin, "k3s"),
      `#!/bin/sh\ncase "$6" in\n${Object.entries(annotations)
        .map(([n, v]) => `  ${n}) printf %s '${v}' ;;\n`)
        .join("")}esac\n`,
    );
    writeFileSync(join(bin, "systemctl"), `#!/bin/sh\necho "$@" >> '${dir}/systemctl.log'\n`);
    for (const f of ["k3s", "systemctl"]) chmodSync(join(bin, f), 0o755);
    const result = spawnSync("sh", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, HOMELAB_MANIFESTS: manifests }, encoding: "utf8" });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    return {
      skipped: (file: string) => existsSync(join(manifests, `${file}.skip`)),
      log: existsSync(join(dir, "systemctl.log")) ? readFileSync(join(dir, "systemctl.log"), "utf8") : "",
    };
  }

  it("does nothing until Argo CD has marked both HelmCharts", () => {
    const { skipped, log } = run({ cilium: "true", argocd: "" });
    expect(handoverFiles(reference).some(skipped)).toBe(false);
    expect(log).toBe("");
  });

  it("then skips the files Argo CD owns, keeps the others (kube-vip, the Secrets) and stops its timer", () => {
    const { skipped, log } = run({ cilium: "true", argocd: "true" });
    expect(handoverFiles(reference).every(skipped)).toBe(true);
    expect(skipped("kube-vip.yaml") || skipped("cloudflare-api-token.yaml")).toBe(false);
    expect(log).toBe("disable --now homelab-handover.timer\n");
  });

  it("passes shellcheck", () => {
    const result = spawnSync("shellcheck", ["-s", "sh", "-"], { input: script, encoding: "utf8" });
    expect(result.stdout).toBe("");
  });
});
