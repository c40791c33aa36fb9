// The real `terraform validate` (1.11, on PATH) on every stack we synthesize, against the real
// provider schemas served by the schema-only plugin (scripts/lib/terraform-validate/). Any error
// diagnostic fails. Without terraform on PATH these tests are skipped, and the run says so.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { yamlText } from "../lib/yaml-text";
import { parseCluster } from "../cluster/load";
import { synthTerraform } from "../infra/terraform-app";
import { largeLab } from "../scripts/lib/large-lab";
import { formatDiagnostic, terraformOnPath, validateStack, type ValidateResult } from "../scripts/lib/terraform-validate/terraform-run";
import { listFixtures, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const terraform = terraformOnPath();
const requirement = 'terraform validate: SKIPPED, no `terraform` on PATH (Terraform >= 1.11 is required to run these tests; README, "Set-up")';
if (!terraform) console.warn(requirement);
const withTerraform = terraform ? describe : describe.skip;

/** Every stack a spec synthesizes (its cdk.tf.json text), by stack directory name. */
function stacksOf(name: string, specText: string): Map<string, string> {
  const cluster = parseCluster(specText, `${name}.yaml`);
  const outdir = scratch(`validate-${name}`);
  synthTerraform(cluster, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  const stacksDir = join(outdir, "stacks");
  return new Map(readdirSync(stacksDir).map((stack) => [stack, readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8")]));
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

  it("the version check holds for a host at or above the spec's version, as terraform evaluates it", async () => {
    const stack = [...stacksOf("version-check", labs[0][1]).values()].map((text) => JSON.parse(text)).find((s) => s.data?.proxmox_version);
    const condition: string = stack.data.proxmox_version.pve_version.lifecycle.postcondition[0].condition;
    const hosts = ["8.4.0", "8.4.1", "9.0.3", "8.3.5", "7.4.19", "8.4"];
    const expression = `jsonencode([${hosts.map((v) => condition.slice(2, -1).split("self.version").join(JSON.stringify(v))).join(", ")}])`;
    expect(expression).toContain(">= 8004000");
    const result = spawnSync(terraform!, ["console"], {
      cwd: scratch("console"),
      input: `${expression}\n`,
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
    });
    expect(JSON.parse(JSON.parse(result.stdout.trim()))).toEqual([true, true, true, false, false, true]);
  });

  it("checks the sealing key against hashicorp/tls's schema: a misspelled argument and a missing one are refused", async () => {
    const stackWith = (edit: (stack: any) => void) => {
      const stack = [...stacksOf("tls-schema", labs[0][1]).values()].map((text) => JSON.parse(text)).find((s) => s.resource?.tls_private_key);
      edit(stack);
      return validateStack(root, JSON.stringify(stack), terraform);
    };
    const misspelled = await stackWith((stack) => {
      const key = stack.resource.tls_private_key.sealing_key;
      key.rsa_bit = key.rsa_bits;
      delete key.rsa_bits;
    });
    expect(errors(misspelled).join("\n")).toMatch(/Extraneous JSON object property.*No argument or block type is named "rsa_bit"/);
    const missing = await stackWith((stack) => delete stack.resource.tls_self_signed_cert.sealing_cert.allowed_uses);
    expect(errors(missing).join("\n")).toMatch(/Missing required argument.*allowed_uses/);
  });

  it("rejects the network_device bug: an attribute-as-block object with a key missing", async () => {
    const stack = [...stacksOf("network-device-bug", labs[0][1]).values()]
      .map((text) => JSON.parse(text))
      .find((s) => s.resource?.proxmox_virtual_environment_vm);
    for (const vm of Object.values<any>(stack.resource.proxmox_virtual_environment_vm)) {
      for (const device of vm.network_device) for (const key of Object.keys(device)) if (device[key] === null) delete device[key];
    }
    const result = await validateStack(root, JSON.stringify(stack), terraform);
    expect(result.valid).toBe(false);
    expect(errors(result).join("\n")).toMatch(/Incorrect attribute value type.*network_device.*are required/);
  });
});

describe("without terraform on PATH", () => {
  it("npm run check says that it skipped terraform validate, and still passes what it can check", () => {
    const env = { ...process.env, PATH: dirname(process.execPath) };
    const result = spawnSync(process.execPath, [join(root, "scripts", "run.cjs"), "scripts/check.ts"], { cwd: root, env, encoding: "utf8" });
    expect(result.stdout).toContain("terraform validate: SKIPPED, no `terraform` on PATH");
    expect(result.status).toBe(0);
  });
});
