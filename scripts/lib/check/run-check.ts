// `npm run check`: inspects a synthesized output and lists every finding (file, object, rule,
// message, fix). Exemptions come from the spec and are listed in every run.
import { join } from "node:path";
import type { Cluster } from "../../../cluster/schema";
import { KubernetesSchemas, kindsWithoutOfflineSchema } from "../validate/kubernetes-schemas";
import { checkReferences, type RenderedObject } from "../validate/kubernetes-references";
import { crdDirectory, referenceContext, renderedList, renderedObjects } from "../validate/rendered-k8s";
import { byCodeUnits } from "../code-unit-order";
import { readTree, stackOf } from "../output-tree";
import { applyExemptions, type Exemption, type Finding } from "./findings";
import { checkHygiene, exemptionsFromSpec } from "./kubernetes-hygiene";
import { checkRepositoryExposure } from "./backup-findings";
import { objectId } from "../validate/kubernetes-objects";
import { machinePaths, scanMachineFacts } from "./machine-facts";
import { scanForSecrets } from "./secrets";
import { checkTerraformStack } from "./terraform-findings";
import { checkWorkloadReferences } from "./workload-references";
import { checkConvergence } from "./convergence";
import { checkSealedSecrets } from "./sealed-secrets";
import { checkFirstBoot } from "./first-boot-findings";

export interface CheckReport {
  readonly findings: readonly Finding[];
  readonly exemptionsUsed: readonly Exemption[];
  readonly unvalidatedKinds: readonly string[];
  readonly files: number;
  readonly objects: number;
}

export interface CheckOptions {
  /** The terraform binary to run `terraform validate` with; undefined skips it. @default undefined */
  readonly terraform?: string;
}

export async function runCheck(cluster: Cluster, outDir: string, root: string, options: CheckOptions = {}): Promise<CheckReport> {
  const tree = readTree(outDir);
  // Each rendered file read once, for every rule below.
  const objects = renderedObjects(tree);
  const all: Finding[] = [...scanFiles(tree, objects, root), ...(await checkTerraformStacks(tree, root, options))];

  const k8sDir = join(outDir, "k8s");
  const rendered = renderedList(objects);
  const schemas = new KubernetesSchemas(crdDirectory(root));
  const unvalidated = new Set<string>();
  all.push(...checkSchemas(rendered, schemas, unvalidated));
  for (const problem of checkReferences(rendered, referenceContext(cluster, k8sDir, schemas))) {
    all.push({
      file: "k8s/",
      object: problem.split(":")[0],
      rule: "reference",
      message: problem,
      fix: "make the reference point at an object this output creates",
    });
  }
  all.push(...checkWorkloadReferences(rendered, cluster.platform.longhorn.enabled ? ["longhorn"] : []));
  all.push(...checkHygiene(rendered));
  all.push(...checkRepositoryExposure(rendered));
  all.push(...checkSealedSecrets(rendered));
  // The first boot and the first sync, walked in order (scripts/lib/check/convergence/).
  all.push(...checkConvergence(tree, cluster, objects));
  all.push(...checkFirstBoot(tree));

  const { findings, used } = applyExemptions(all, exemptionsFromSpec(cluster));
  return {
    findings: findings.sort((a, b) => byCodeUnits(`${a.file}${a.object}${a.rule}`, `${b.file}${b.object}${b.rule}`)),
    exemptionsUsed: [...used].sort((a, b) => byCodeUnits(a.object, b.object)),
    unvalidatedKinds: [...unvalidated].sort(),
    files: tree.size,
    objects: rendered.length,
  };
}

/** Every output file, scanned for secrets and for facts of the build machine. */
function scanFiles(tree: ReadonlyMap<string, string>, objects: ReadonlyMap<string, readonly object[]>, root: string): Finding[] {
  const found: Finding[] = [];
  const paths = machinePaths(root);
  for (const [file, text] of tree) {
    found.push(...scanForSecrets(file, text, objects.get(file)), ...scanMachineFacts(file, text, paths));
  }
  return found;
}

async function checkTerraformStacks(tree: ReadonlyMap<string, string>, root: string, options: CheckOptions): Promise<Finding[]> {
  const stacks = [...tree].filter(([file]) => stackOf(file) !== undefined);
  const found = await Promise.all(stacks.map(([file, text]) => checkTerraformStack(file, text, { terraform: options.terraform, root })));
  return found.flat();
}

/** Each rendered object against its upstream schema; kinds known to have none offline are collected in `unvalidated`. */
function checkSchemas(rendered: readonly RenderedObject[], schemas: KubernetesSchemas, unvalidated: Set<string>): Finding[] {
  const found: Finding[] = [];
  for (const { file, object } of rendered) {
    const verdict = schemas.validate(object);
    if (verdict.status === "no-schema") {
      if (object.kind in kindsWithoutOfflineSchema) unvalidated.add(object.kind);
      else
        found.push({
          file: `k8s/${file}`,
          object: objectId(object),
          rule: "schema",
          message: `no schema for ${object.apiVersion} ${object.kind}`,
          fix: "add its CRD to scripts/lib/crd-schemas.ts and run `npm run import`, or render a kind with a schema",
        });
    } else if (verdict.status === "invalid") {
      found.push({
        file: `k8s/${file}`,
        object: objectId(object),
        rule: "schema",
        message: verdict.errors.slice(0, 3).join("; "),
        fix: "correct the object to match its upstream schema",
      });
    }
  }
  return found;
}
