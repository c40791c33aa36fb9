// Builds the CDKTF app for a spec and writes it to outdir (terraform/ of a synth): the lab's
// stack, and the access stack that creates its automation user when the spec names one.
import { App, TerraformResource, type TerraformStack } from "cdktf";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Cluster } from "../cluster/schema";
import { AccessStack } from "./access-stack";
import { HomelabStack } from "./homelab-stack";

export interface TerraformSynthOptions {
  /** Where to write now (a temporary directory during an atomic synth). */
  readonly outdir: string;
  /** Where the output will finally live; relative paths in the output are computed from here. */
  readonly finalOutdir: string;
  /** Repository root. */
  readonly root: string;
  /** Rendered user-data by VM name, when the caller already has it. @default rendered here */
  readonly userData?: ReadonlyMap<string, string>;
}

export interface TerraformSynthResult {
  readonly stacks: number;
  readonly resources: number;
  /** Each stack's cdk.tf.json as written, by stack name, in the order the stacks were made. */
  readonly configs: ReadonlyMap<string, StackConfig>;
}

/** A stack's Terraform JSON configuration (cdk.tf.json). */
export type StackConfig = Record<string, unknown>;

/** The stacks' names, which are their folders under terraform/stacks/: the lab's, and the access stack's when the spec names an automation user. */
export function stackNames(cluster: Cluster): { readonly lab: string; readonly access?: string } {
  return { lab: cluster.name, ...(cluster.proxmox.automationUser ? { access: `${cluster.name}-access` } : {}) };
}

export function synthTerraform(cluster: Cluster, options: TerraformSynthOptions): TerraformSynthResult {
  // stackTraces off: they would embed absolute paths of this machine in the output.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const backend = { root: options.root, finalOutdir: options.finalOutdir };
  const names = stackNames(cluster);
  const stacks: TerraformStack[] = [new HomelabStack(app, names.lab, { cluster, backend, userData: options.userData })];
  const user = cluster.proxmox.automationUser;
  if (user && names.access) stacks.push(new AccessStack(app, names.access, { cluster, user, backend }));
  app.synth();
  const configs = new Map(stacks.map((stack) => [stack.node.id, writeStackMetadata(options.outdir, stack.node.id)]));
  const resources = stacks.flatMap((stack) => stack.node.findAll()).filter((c) => c instanceof TerraformResource).length;
  return { stacks: stacks.length, resources, configs };
}

/**
 * cdktf's manifest.json names a stacks/<name>/metadata.json, which cdktf writes only for HCL
 * output (for JSON it keeps the metadata under "//" in cdk.tf.json): write it, so the manifest
 * points at files that exist. Returns the stack's configuration, read to do so.
 */
function writeStackMetadata(outdir: string, stack: string): StackConfig {
  const dir = join(outdir, "stacks", stack);
  const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackConfig;
  writeFileSync(join(dir, "metadata.json"), `${JSON.stringify(config["//"], null, 2)}\n`);
  return config;
}
