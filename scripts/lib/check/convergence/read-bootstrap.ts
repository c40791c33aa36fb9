// The first boot as dist/bootstrap shows it: k3s itself, then the files of the first server's
// manifests directory in the order k3s applies them (sorted), each a unit of the model. Files
// written by cloud-init are parsed; files downloaded at first boot are known by their URL.
import { readYaml as parse, readYamlDocuments } from "../../read-yaml";
import type { Cluster } from "../../../../cluster/schema";
import { gatewayApiDownloadCrds } from "../../../../charts/platform/gateway-api";
import { noFacts } from "../../../../charts/platform/upstream-facts";
import { k3sCoredns, k3sCrds, k3sDisableItems, k3sManifestsDir, k3sNamespaces, k3sRuntimeClasses } from "../../../../infra/bootstrap/k3s-facts";
import { factsForChart, type FactsProblem } from "./facts-lookup";
import { bootstrapStage, type K8sObject, type Unit } from "./model";

const manifestsDir = `${k3sManifestsDir}/`;

export interface UserData {
  readonly file: string;
  readonly config: { readonly write_files?: { path: string; content: string; encoding?: string }[]; readonly runcmd?: (string | string[])[] };
}

export function readUserData(tree: ReadonlyMap<string, string>): UserData[] {
  return [...tree.keys()]
    .filter((f) => /^bootstrap\/[^/]+\.user-data\.yaml$/.test(f))
    .sort()
    .map((file) => ({ file, config: parse(tree.get(file)!) ?? {} }));
}

/** k3s's own objects: its namespaces, the API Service, its RuntimeClasses and CoreDNS unless disabled, its CRDs. */
export function k3sUnit(disabled: ReadonlySet<string>): Unit {
  const namespaces: K8sObject[] = k3sNamespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
  const runtimeClasses: K8sObject[] = disabled.has(k3sDisableItems.runtimes)
    ? []
    : k3sRuntimeClasses.map((name) => ({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name }, handler: name }));
  return {
    label: "k3s itself",
    name: "k3s",
    kind: "k3s",
    stage: bootstrapStage,
    order: -1,
    file: "bootstrap/",
    objects: [...namespaces, { apiVersion: "v1", kind: "Service", metadata: { name: "kubernetes", namespace: "default" } }, ...runtimeClasses],
    facts: [{ origin: "k3s's packaged CoreDNS", facts: { ...noFacts, workloads: disabled.has(k3sDisableItems.coredns) ? [] : [k3sCoredns] } }],
    crds: k3sCrds,
  };
}

/** The units of the first server's manifests directory, sorted by file name as k3s applies them. */
export function bootstrapUnits(userData: readonly UserData[], cluster: Cluster, problems: FactsProblem[]): Unit[] {
  const first = userData.find((u) => (u.config.write_files ?? []).some((f) => f.path.startsWith(manifestsDir)));
  if (!first) return [];
  const files = new Map<string, Omit<Unit, "order">>();
  for (const written of first.config.write_files ?? []) {
    if (!written.path.startsWith(manifestsDir)) continue;
    const name = written.path.slice(manifestsDir.length);
    const objects = readYamlDocuments(written.content) as K8sObject[];
    files.set(name, fileUnit(name, first.file, objects, cluster, problems));
  }
  for (const [name, url] of manifestDownloads(first)) {
    const download = gatewayApiDownloadCrds(url);
    if (!download)
      problems.push({
        file: first.file,
        object: name,
        message: `downloads ${url}, whose content the check does not know`,
        fix: "describe the file in charts/platform/gateway-api.ts (gatewayApiDownloadCrds)",
      });
    files.set(name, {
      label: `bootstrap file ${name}`,
      name,
      kind: "bootstrap",
      stage: bootstrapStage,
      file: first.file,
      objects: [],
      facts: [],
      crds: download?.crds ?? [],
    });
  }
  return [...files.keys()].sort().map((name, order) => ({ ...files.get(name)!, order }));
}

function fileUnit(name: string, file: string, objects: K8sObject[], cluster: Cluster, problems: FactsProblem[]): Omit<Unit, "order"> {
  const helmCharts = objects.filter((o) => o.kind === "HelmChart");
  const facts = helmCharts.flatMap((h) => {
    const found = factsForChart(
      h.spec.chart,
      String(h.spec.version),
      parse(h.spec.valuesContent ?? "") ?? {},
      h.spec.targetNamespace,
      [],
      { object: `HelmChart/kube-system/${h.metadata.name}`, label: `bootstrap file ${name}` },
      file,
      problems,
    );
    return found ? [found] : [];
  });
  const createsNamespaces = helmCharts.filter((h) => h.spec.createNamespace).map((h) => h.spec.targetNamespace as string);
  return { label: `bootstrap file ${name}`, name, kind: "bootstrap", stage: bootstrapStage, file, objects, facts, crds: [], createsNamespaces };
}

/**
 * The shell lines a node runs at first boot: runcmd's entries and the lines of the scripts that
 * cloud-init writes (the first-boot script runcmd starts).
 */
export function bootLines(userData: UserData): string[] {
  const runcmd = (userData.config.runcmd ?? []).map((c) => (Array.isArray(c) ? c.join(" ") : c));
  const scripts = (userData.config.write_files ?? []).filter((f) => f.content.startsWith("#!/bin/sh")).flatMap((f) => f.content.split("\n"));
  return [...runcmd, ...scripts];
}

/** `curl … -o <manifests dir>/<file> <url>` lines of the first boot: file name → URL. */
export function manifestDownloads(userData: UserData): [string, string][] {
  const found: [string, string][] = [];
  for (const line of bootLines(userData)) {
    const words = line.trim().split(/\s+/).map(unquote);
    if (words[0] !== "curl") continue;
    const out = words.indexOf("-o");
    const target = out >= 0 ? words[out + 1] : undefined;
    if (target?.startsWith(manifestsDir)) found.push([target.slice(manifestsDir.length), words[words.length - 1]]);
  }
  return found;
}

const unquote = (word: string) => word.replace(/^'(.*)'$/, "$1");
