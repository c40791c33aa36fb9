// A TerraformStack whose resource names are readable and stable: the construct path
// below the stack joined with '_' (vm_k3s_master_1), never cdktf's hash suffixes; and which,
// as a speed shortcut (lib/plain-mode.ts), skips the resolve passes cdktf makes over a whole
// stack that a lone stack does not need.
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import type { Node } from "constructs";
import { plainMode } from "../lib/plain-mode";
import { resolveTokens } from "./resolve-tokens";
import { logicalName } from "./terraform-names";

const tokenResolver = new DefaultTokenResolver(new StringConcat());

export class ReadableStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? element.node : element;
    const parts = node.scopes.slice(this.node.scopes.length).map((scope) => scope.node.id);
    return logicalName(parts);
  }

  /**
   * cdktf resolves every element once before synthesis only to discover cross-stack
   * references, then again to write them. Our stacks never reference each other
   * (terraform-app.ts builds each from the spec alone), so when every stack of the app is one of
   * ours there is nothing to discover; with any other stack, cdktf's own preparation runs.
   */
  prepareStack(): void {
    const stacks = this.node.scope?.node.children.filter((c) => c instanceof TerraformStack) ?? [];
    if (plainMode() || stacks.some((stack) => !(stack instanceof ReadableStack))) super.prepareStack();
    else this.ensureBackendExists();
  }

  /**
   * cdktf's toTerraform() (0.21.0, pinned), step for step, but one: cdktf resolves every
   * element, merges the fragments and the stack's overrides, then resolves the merged whole
   * again, though no token is left in it. Here only what the overrides touched is resolved
   * again, and each element through resolveTokens, which hands cdktf only the parts that may
   * hold a token.
   */
  toTerraform(): any {
    if (plainMode()) return super.toTerraform();
    const overrides = (this as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides;
    const resolve = (value: unknown) => resolveTokens(value, this, tokenResolver);
    const elements = this.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c) && TerraformStack.of(c) === this);
    const metadata = {
      version: this.node.tryGetContext("cdktfVersion"),
      stackName: this.node.id,
      backend: "local", // set by the backend's own metadata
      cloud: undefined, // likewise; left out of the JSON unless a backend sets it
      ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
    };
    for (const element of elements) deepMerge(metadata, resolve(element.toMetadata()));
    const outputs = {};
    for (const output of elements.filter(TerraformOutput.isTerraformOutput))
      deepMerge(outputs, nestedUnder(output.node.path.split("/"), output.friendlyUniqueId));
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    for (const element of elements) deepMerge(tf, resolve(element.toTerraform()));
    deepMerge(tf, overrides);
    for (const key of Object.keys(overrides)) if (key in tf) tf[key] = resolve(tf[key]);
    return tf;
  }
}

/** { a: { b: value } } from [a, b], as cdktf nests output ids in the stack metadata. */
function nestedUnder(path: readonly string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<any>((inner, part) => ({ [part]: inner }), value);
}
