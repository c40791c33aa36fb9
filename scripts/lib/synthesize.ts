// One synth: spec → dist/{terraform,k8s,bootstrap,ansible,docs}, atomically, under a lock, into
// a directory synth owns (output-location.ts, output-ownership.ts).
import { readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { PlaceholderValue } from "../../cluster/spec-yaml";
import type { Cluster } from "../../cluster/schema";
import { synthManifests } from "../../charts/k8s-app";
import { renderInventory } from "../../infra/ansible-inventory";
import { stackNames, synthTerraform } from "../../infra/terraform-app";
import { renderUserData } from "../../infra/user-data";
import { describeSecrets } from "../../infra/bootstrap/secrets";
import { outputPaths, replaceOutput, withOutputLock } from "./atomic-dir";
import { checkOutputLocation, checkStateOutside, localStateDir } from "./output-location";
import { outputChanges, type OutputChanges } from "./output-changes";
import { OutputWriter, type WriterFs } from "./output-writer";
import { pruneLeftovers } from "./recycled-tree";
import { listFiles } from "./output-tree";
import { docsReadme, hasConflictMarkers, readmeSections, refreshSections, type ReadmeSections } from "./generated-docs";
import { contentHash } from "./output-marker";
import { readRegular, replaceFile } from "./regular-files";
import { inputsTable, terraformInputs, tfvarsExample } from "./terraform-inputs";
import { loadLab, type Lab } from "./lab";

export interface SynthOptions {
  readonly clusterFile: string;
  /** The lab of clusterFile, when the caller has loaded it already. @default loaded here */
  readonly spec?: Lab;
  /** Absolute output directory (dist). */
  readonly outDir: string;
  /** Absolute repository root. */
  readonly root: string;
  /** Test hook: runs inside the temporary output before the swap. */
  readonly beforeSwap?: (tempDir: string) => void;
  /** Test hook: the file system the writer uses (to inject ENOSPC, EACCES). @default node:fs */
  readonly writerFs?: WriterFs;
  /** Compare the new output with the current one, for the summary. @default false */
  readonly reportChanges?: boolean;
}

export interface SynthSummary {
  readonly cluster: Cluster;
  /** Values the spec marks as still to be replaced (`!placeholder`, `replace-me`). */
  readonly placeholders: readonly PlaceholderValue[];
  /** Secrets still to seal, the sealing certificate still to write (sealing/lab-secrets.ts). */
  readonly pending: readonly string[];
  /** Sealed values nothing renders. */
  readonly notes: readonly string[];
  readonly stacks: number;
  readonly resources: number;
  readonly charts: number;
  readonly manifests: number;
  readonly files: number;
  /** When asked for: what changed against the output before. */
  readonly changes?: OutputChanges;
  /** Files git reported in conflict that synth regenerated (repository paths). */
  readonly regenerated: readonly string[];
  /** What synth could not clean up or update, for the user to see to. */
  readonly warnings: readonly string[];
}

export function synthesize(options: SynthOptions): SynthSummary {
  // Validate before touching anything: a bad spec never reaches the output directory.
  checkOutputLocation(options.outDir, options.root);
  const { cluster, placeholders, secrets } = options.spec ?? loadLab(options.clusterFile);
  const backend = cluster.terraform.backend;
  if (backend.type === "local") checkStateOutside(options.outDir, options.root, localStateDir(options.root, backend.path));
  const paths = outputPaths(options.outDir);
  // Computed once: dist/docs/README.md and this repository's README carry the same tables.
  let sections: ReadmeSections = readmeSections(cluster);
  const { result, warnings } = withOutputLock(paths, () => {
    let summary: Omit<SynthSummary, "cluster" | "placeholders" | "pending" | "notes" | "regenerated" | "warnings"> | undefined;
    const replaced = replaceOutput(
      paths,
      (temp, recycled) => {
        // CDKTF writes terraform/ itself: it starts empty, so whatever is there after is this synth's.
        rmSync(join(temp, "terraform"), { recursive: true, force: true });
        // What the recycled spare holds besides terraform/, listed before we write.
        const leftovers = new Map([...(recycled ?? [])].filter(([file]) => file.split("/")[0] !== "terraform"));
        const writer = new OutputWriter(options.writerFs, recycled && { dir: temp, files: leftovers });
        // Each VM's user-data is rendered once, for the Terraform snippet and for dist/bootstrap.
        const userData = new Map(cluster.vms.map((vm) => [vm.name, renderUserData(cluster, vm)]));
        const k8s = synthManifests(cluster, join(temp, "k8s"), writer, secrets.store);
        for (const [name, text] of userData) writer.write(join(temp, "bootstrap", `${name}.user-data.yaml`), describeSecrets(text));
        writer.write(join(temp, "ansible", "hosts.yaml"), renderInventory(cluster));
        const { configs, ...terraform } = synthTerraform(cluster, {
          outdir: join(temp, "terraform"),
          finalOutdir: join(options.outDir, "terraform"),
          root: options.root,
          userData,
        });
        // The inputs of the stacks just written: an example tfvars beside each, a table in the docs.
        const inputs = [];
        for (const [stack, config] of configs) {
          const stackInputs = terraformInputs(stack, config);
          const credentials = stack === stackNames(cluster).access ? "root" : "api-token";
          writer.write(join(temp, "terraform", "stacks", stack, "terraform.tfvars.example"), tfvarsExample(stackInputs, credentials));
          inputs.push(...stackInputs);
        }
        sections = { ...sections, "terraform-inputs": inputsTable(inputs) };
        writer.write(join(temp, "docs", "README.md"), docsReadme(cluster, sections));
        pruneLeftovers(temp, leftovers.keys(), (path) => writer.wrote(path));
        const written = new Map([...writer.files()].map(([path, hash]) => [relative(temp, path).split(sep).join("/"), hash]));
        // CDKTF's files, written by CDKTF into a fresh terraform/.
        for (const file of listFiles(join(temp, "terraform"))) written.set(`terraform/${file}`, contentHash(readFileSync(join(temp, "terraform", file))));
        options.beforeSwap?.(temp);
        // The files of the lab; the marker that lists them is not counted (nor in the changes).
        summary = { ...terraform, ...k8s, files: written.size };
        return written;
      },
      (temp, ownership) => {
        if (options.reportChanges) summary = { ...summary!, changes: outputChanges(options.outDir, ownership, temp) };
      },
    );
    // The README documents the committed lab: refresh it only for the project's own dist/.
    const readme = options.outDir === join(options.root, "dist") ? refreshReadme(options.root, { ...sections }) : undefined;
    const regenerated = [...replaced.ownership.regenerated.map((file) => `${relative(options.root, options.outDir).split(sep).join("/")}/${file}`)];
    if (readme?.regenerated) regenerated.push("README.md");
    return { ...summary!, regenerated, warnings: [...replaced.warnings, ...(readme?.warning ? [readme.warning] : [])] };
  });
  return { cluster, placeholders, pending: secrets.pending, notes: secrets.notes, ...result, warnings: [...warnings, ...result.warnings] };
}

/**
 * Refreshes the README's generated sections. A README git left in conflict is refreshed too
 * when every conflict lies inside generated sections (two clones both synthesized); otherwise it
 * is left alone, with a warning.
 */
function refreshReadme(root: string, sections: Readonly<Record<string, string>>): { regenerated?: boolean; warning?: string } | undefined {
  const path = join(root, "README.md");
  const read = readRegular(path);
  if (!read) return undefined;
  const current = read.content.toString("utf8");
  const next = refreshSections(current, sections);
  const conflicted = hasConflictMarkers(current);
  if (hasConflictMarkers(next))
    return { warning: "README.md has merge conflicts outside its generated sections; resolve them by hand (synth refreshed nothing in it)" };
  if (next !== current) replaceFile(path, next);
  return { regenerated: conflicted };
}
