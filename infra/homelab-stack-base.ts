// A TerraformStack whose resource names are readable and stable: the construct path
// below the stack joined with '_' (vm_k3s_master_1), never cdktf's hash suffixes.
import { TerraformStack, type TerraformElement } from "cdktf";
import type { Node } from "constructs";
import { logicalName } from "./terraform-names";

export class ReadableStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? element.node : element;
    const parts = node.scopes.slice(this.node.scopes.length).map((scope) => scope.node.id);
    return logicalName(parts);
  }
}
