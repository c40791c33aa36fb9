// The charts' upstream facts (charts/platform/*.ts, next to each component's values) are tied to
// the version they were read at: bumping a pin in versions.ts without re-reading them fails here,
// and an output that installs another version than the facts' gets a `facts` finding.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import { platformComponents, upstreamFacts } from "../charts/platform";
import { gatewayApiCrdFiles } from "../charts/platform/gateway-api";
import { gitSources, helmCharts } from "../charts/platform/versions";
import { factsForChart, repoName, type FactsProblem } from "../scripts/lib/check/convergence/facts-lookup";
import { crdDirectory } from "../scripts/lib/validate/rendered-k8s";
import { overlayReference, root } from "./helpers/spec-fixture";

it("confirms every pinned chart and upstream manifest set at its pinned version", () => {
  for (const chart of Object.values(helmCharts))
    expect({ chart: chart.chart, facts: upstreamFacts.get(chart.chart)?.confirmedAt }).toEqual({ chart: chart.chart, facts: chart.version });
  for (const source of Object.values(gitSources))
    expect({ repo: source.repoURL, facts: upstreamFacts.get(repoName(source.repoURL))?.confirmedAt }).toEqual({ repo: source.repoURL, facts: source.version });
});

it("gives facts to every component that installs upstream charts or manifests", () => {
  const everything = parseCluster(overlayReference({ "platform.amdGpuPlugin.enabled": true, "platform.intelGpuPlugin.enabled": true }), "all.yaml");
  for (const c of platformComponents(everything).filter((x) => x.helm || x.git))
    expect({ name: c.name, facts: !!c.facts }).toEqual({ name: c.name, facts: true });
});

it("reports an installed version the facts were not read at", () => {
  const problems: FactsProblem[] = [];
  expect(
    factsForChart(
      "cilium",
      "1.19.0",
      {},
      "kube-system",
      [],
      { object: "Application/argocd/cilium", label: "Application cilium (wave 1)" },
      "k8s/argocd-apps/manifests.yaml",
      problems,
    ),
  ).toBeDefined();
  expect(problems).toEqual([
    {
      file: "k8s/argocd-apps/manifests.yaml",
      object: "Application/argocd/cilium",
      message: "Application cilium (wave 1) installs cilium 1.19.0, but its facts were read at 1.18.2",
      fix: "re-read the facts in charts/platform/ at 1.19.0 and set confirmedAt",
    },
  ]);
});

it("knows the Gateway API CRDs and versions of v1.3.0 as the committed v1.3.0 schemas serve them", () => {
  // imports/crd-schemas/ has one file per served version, each naming the upstream file it came from.
  const dir = crdDirectory(root);
  const served = new Map<string, string[]>();
  for (const file of readdirSync(dir)) {
    const schema = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const source = /\/gateway-api\/v1\.3\.0\/(config\/crd\/(?:standard|experimental)\/[^/,\s]+)/.exec(schema["//"])?.[1];
    if (source) served.set(source, [...(served.get(source) ?? []), schema.version].sort());
  }
  expect(served.size).toBeGreaterThan(4);
  for (const [path, files] of Object.entries(gatewayApiCrdFiles)) {
    for (const [file, crd] of Object.entries(files))
      expect({ file, versions: [...(crd.versions ?? [])].sort() }).toEqual({ file, versions: served.get(`${path}/${file}`) });
  }
});

it("lets a spec that overrides a chart version exempt the facts finding, with a reason", () => {
  const exempt = { rule: "facts", object: "Application/argocd/cilium", reason: "1.18.3 is a patch release; its chart was diffed against 1.18.2" };
  expect(parseCluster(overlayReference({ "platform.cilium.version": "1.18.3", "check.exemptions": [exempt] }), "override.yaml").check.exemptions).toEqual([
    exempt,
  ]);
});
