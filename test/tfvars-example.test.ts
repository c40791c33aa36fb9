// terraform.tfvars.example is meant to be copied and filled in: every value it leaves as
// "replace-me" must stop the plan, not reach a node. Checked by the real `terraform console`
// (variable validation runs there), on each string variable exactly as synthesized.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { referenceOutput, scratch } from "./helpers/tree";

const stackDir = join(referenceOutput, "terraform", "stacks", "homelab");
const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
const example = readFileSync(join(stackDir, "terraform.tfvars.example"), "utf8");
const required = Object.entries<any>(stack.variable).filter(([, v]) => v.type === "string" && !("default" in v));
const terraform = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;

it("leaves every required string input as replace-me, which each variable's validation refuses", () => {
  // The repository token (the reference lab's repository is private); the rest are sealed in git.
  expect(required.map(([name]) => name)).toEqual(["gitops_repo_token"]);
  for (const [name, variable] of required) {
    expect(example).toContain(`${name} = "replace-me"`);
    expect(JSON.stringify(variable.validation)).toContain('!= \\"replace-me\\"');
  }
});

(terraform ? it : it.skip)("terraform refuses the example's value and accepts a real one", () => {
  const [name, variable] = required[0];
  const dir = join(scratch("tfvars-example"), "module");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ variable: { [name]: variable } }));
  const consoleWith = (value: string) =>
    spawnSync("terraform", ["console", "-no-color"], {
      cwd: dir,
      input: "1\n",
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1", [`TF_VAR_${name}`]: value },
    });
  // The console goes on after a failed validation (exit 0); the error is what matters.
  const refused = consoleWith("replace-me");
  expect(refused.stderr).toContain("Invalid value for variable");
  expect(refused.stderr).toContain(`${name} is still "replace-me"`);
  expect(consoleWith("a-real-token").stderr).toBe("");
});

it("says how each stack authenticates: root from the environment for the access stack, the API token for the lab's", () => {
  const access = readFileSync(join(referenceOutput, "terraform", "stacks", "homelab-access", "terraform.tfvars.example"), "utf8");
  expect(access).toContain("#   export PROXMOX_VE_USERNAME=root@pam\n#   read -rs PROXMOX_VE_PASSWORD && export PROXMOX_VE_PASSWORD\n");
  expect(access).toContain("# This stack has no variables.");
  expect(example).toContain("# Credentials: the automation user's API token, in PROXMOX_VE_API_TOKEN or proxmox_api_token below.");
});
