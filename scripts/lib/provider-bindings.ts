// CDKTF bindings from a provider schema, generated the way `cdktf get` does it (cdktf-cli
// 0.21.0, @cdktf/provider-generator lib/get/constructs-maker.js generateTypescriptProvider):
// one TerraformProviderGenerator over the schema, for the constraint cdktf.json declares, saved
// by CodeMaker under <outdir>/providers/<name>/. The package index also loads jsii-pacmak (for
// other languages); TypeScript needs only these three modules.
// Loaded when generating only: @cdktf/commons runs `terraform version` as it loads.
import type { ProvidersSchema } from "./provider-schema";

export async function generateProviderBindings(schema: ProvidersSchema, constraint: string, outdir: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- required lazily, see above */
  const {
    TerraformProviderGenerator,
  }: typeof import("@cdktf/provider-generator/lib/get/generator/provider-generator") = require("@cdktf/provider-generator/lib/get/generator/provider-generator");
  const { CodeMaker }: typeof import("codemaker") = require("codemaker");
  const { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint }: typeof import("@cdktf/commons") = require("@cdktf/commons");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema as never);
  generator.generate(new ConstructsMakerProviderTarget(new TerraformProviderConstraint(constraint), LANGUAGES[0]));
  await code.save(outdir);
}
