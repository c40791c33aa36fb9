// The real `terraform validate` (1.11, on PATH) on every stack we synthesize, against the real
// provider schemas served by the schema-only plugin (scripts/lib/terraform-validate/). Any error
// diagnostic fails. Without terraform on PATH these tests are skipped, and the run says so.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { yamlText } from "../charts/yaml-text";
import { parseCluster } from "../cluster/load";
import { synthTerraform } from "../infra/terraform-app";
import { largeLab } from "../scripts/lib/large-lab";
import { formatDiagnostic, terraformOnPath, validateStack, type ValidateResult } from "../scripts/lib/terraform-validate/terraform-run";
import { listFixtures, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const terraform = terraformOnPath();
const requirement = "terraform validate: SKIPPED, no `terraform` on PATH (Terraform >= 1.11 is required to run these tests; README, \"Tests\")";
if (!terraform) console.warn(requirement);
const withTerraform = terraform ? describe : describe.skip;

/** Every stack a spec synthesizes, by stack directory name. */
function stacksOf(name: string, specText: string): Map<string, unknown> {
  const cluster = parseCluster(specText, `${name}.yaml`);
  const outdir = scratch(`validate-${name}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  const stacksDir = join(outdir, "stacks");
  return new Map(readdirSync(stacksDir).map((stack) => [stack, JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8"))]));
}

const labs: [string, string][] = [
  ["reference", readFileSync(referenceSpec, "utf8")],
  ...listFixtures("valid").map((f): [string, string] => [f.name, f.text]),
  ["large", yamlText(largeLab(readFileSync(referenceSpec, "utf8")))],
];

const errors = (result: ValidateResult) => result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);

withTerraform("terraform validate (needs terraform on PATH)", () => {
  const results = new Map<string, Promise<ValidateResult>>();
  beforeAll(() => {
    // All at once: each run is a terraform process and two plugin processes, mostly waiting.
    for (const [lab, text] of labs) for (const [stack, json] of stacksOf(lab, text)) results.set(`${lab}/${stack}`, validateStack(root, json, terraform));
  });

  it.each(labs.map(([lab]) => lab))("accepts every stack of the %s lab", async (lab) => {
    const mine = [...results.keys()].filter((k) => k.startsWith(`${lab}/`));
    expect(mine.length).toBeGreaterThan(0);
    for (const key of mine) {
      const result = await results.get(key)!;
      expect({ stack: key, errors: errors(result) }).toEqual({ stack: key, errors: [] });
      expect(result.valid).toBe(true);
    }
  });

  it("rejects the network_device bug: an attribute-as-block object with a key missing", async () => {
    const stack = [...stacksOf("network-device-bug", labs[0][1]).values()].find((s: any) => s.resource?.proxmox_virtual_environment_vm) as any;
    for (const vm of Object.values<any>(stack.resource.proxmox_virtual_environment_vm)) {
      for (const device of vm.network_device) for (const key of Object.keys(device)) if (device[key] === null) delete device[key];
    }
    const result = await validateStack(root, stack, terraform);
    expect(result.valid).toBe(false);
    expect(errors(result).join("\n")).toMatch(/Incorrect attribute value type.*network_device.*are required/);
  });
});
