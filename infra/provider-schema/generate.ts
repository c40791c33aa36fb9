// Generates CDKTF bindings for bpg/proxmox from our schema file with the same generator
// and the same provider constraint `cdktf get` uses, so its output is a drop-in replacement.
// The package index also loads jsii-pacmak (for other languages); we only need TypeScript.
import { TerraformProviderGenerator } from "@cdktf/provider-generator/lib/get/generator/provider-generator";
import { CodeMaker } from "codemaker";
import { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } from "@cdktf/commons";
import { providerConstraint, proxmoxSchema } from ".";

export async function generateProviderBindings(outdir: string): Promise<void> {
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, proxmoxSchema as never);
  const constraint = new TerraformProviderConstraint(providerConstraint);
  generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
  await code.save(outdir);
}
