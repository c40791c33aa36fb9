// Builds the cdk8s charts for a spec and writes dist/k8s/<application>/<kind>-<name>.yaml:
// one directory per Argo CD application, one file per object, stable names and order.
import { App } from "cdk8s";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Cluster } from "../cluster/schema";
import { HomelabChart } from "./homelab-chart";
import { NamespacesChart } from "./namespaces";

export interface ManifestSynthResult {
  readonly charts: number;
  readonly manifests: number;
}

export function buildCharts(cluster: Cluster): App {
  const app = new App();
  new NamespacesChart(app, "namespaces", { cluster });
  return app;
}

export function synthManifests(cluster: Cluster, outdir: string): ManifestSynthResult {
  const charts = buildCharts(cluster).charts.filter((c): c is HomelabChart => c instanceof HomelabChart);
  let manifests = 0;
  for (const chart of charts) {
    const dir = join(outdir, chart.appName);
    mkdirSync(dir, { recursive: true });
    for (const object of chart.toJson()) {
      writeFileSync(join(dir, manifestFileName(object)), stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }));
      manifests++;
    }
  }
  return { charts: charts.length, manifests };
}

/** deployment-media-plex.yaml: kind, namespace (if any) and name — unique per object. */
export function manifestFileName(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  const parts = [object.kind, object.metadata.namespace, object.metadata.name].filter(Boolean);
  return `${parts.join("-").toLowerCase().replace(/[^a-z0-9.-]/g, "-")}.yaml`;
}
