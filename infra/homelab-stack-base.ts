// A TerraformStack whose resource names are readable and stable: the construct path
// below the stack joined with '_' (vm_k3s_master_1), never cdktf's hash suffixes; and which
// skips the passes cdktf makes over a whole stack that a lone stack does not need.
import { TerraformElement, TerraformStack } from "cdktf";
import type { Node } from "constructs";
import { logicalName } from "./terraform-names";

export class ReadableStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? element.node : element;
    const parts = node.scopes.slice(this.node.scopes.length).map((scope) => scope.node.id);
    return logicalName(parts);
  }

  /**
   * cdktf resolves every element once before synthesis only to discover cross-stack
   * references, then again to write them: a tenth of a large synth. Alone in its app, a stack
   * has none to discover; with siblings, cdktf's own preparation runs.
   */
  prepareStack(): void {
    const stacks = this.node.scope?.node.children.filter((c) => c instanceof TerraformStack) ?? [];
    if (stacks.length > 1) super.prepareStack();
    else this.ensureBackendExists();
  }
}
