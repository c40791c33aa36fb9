// Secrets at rest on machines that do not need them: a worker's user-data (a snippet on the
// Proxmox host, and cloud-init's copy inside the VM) carries only the k3s agent token, never the
// server token that grants the whole cluster; remote state is written encrypted.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { synthTerraform } from "../infra/terraform-app";
import { renderUserData } from "../infra/user-data";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
let n = 0;
const stackOf = (c: Cluster) => {
  const outdir = scratch(`exposure-tf-${n++}`);
  synthTerraform(c, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  return JSON.parse(readFileSync(join(outdir, "stacks", c.name, "cdk.tf.json"), "utf8"));
};
const k3sConfigOf = (vm: string) => {
  const config = parse(
    renderUserData(
      reference,
      reference.vms.find((v) => v.name === vm)!,
    ),
  ) as any;
  return parse(config.write_files.find((f: any) => f.path === "/etc/rancher/k3s/config.yaml").content);
};

describe("k3s join tokens", () => {
  const stack = stackOf(reference);
  const snippet = (vm: string) => stack.resource.proxmox_virtual_environment_file[`${vm.replace(/-/g, "_")}_user_data_file`].source_raw.data as string;
  const servers = reference.vms.filter((v) => v.role === "control-plane");
  const agents = reference.vms.filter((v) => v.role !== "control-plane");

  it("gives agents only the agent token", () => {
    expect(agents.length).toBeGreaterThan(0);
    for (const vm of agents) {
      expect(k3sConfigOf(vm.name).token).toBe("@@K3S_AGENT_TOKEN@@");
      expect(k3sConfigOf(vm.name)).not.toHaveProperty("agent-token");
      expect(snippet(vm.name)).toContain("${random_password.k3s_agent_token.result}");
      expect(snippet(vm.name)).not.toContain("random_password.k3s_token.");
    }
  });

  it("gives every server the server token and the same agent token, so any of them admits agents", () => {
    for (const vm of servers) {
      expect(k3sConfigOf(vm.name)).toMatchObject({ token: "@@K3S_TOKEN@@", "agent-token": "@@K3S_AGENT_TOKEN@@" });
      expect(snippet(vm.name)).toMatch(/token: ['"]\$\{random_password\.k3s_token\.result\}['"]/);
      expect(snippet(vm.name)).toMatch(/agent-token: ['"]\$\{random_password\.k3s_agent_token\.result\}['"]/);
    }
  });

  it("makes the agent token a second random password, created once like the server token", () => {
    expect(stack.resource.random_password.k3s_agent_token).toMatchObject({ length: 48, special: false, lifecycle: { prevent_destroy: true } });
    expect(stack.resource.random_password.k3s_token).toMatchObject({ length: 48, special: false, lifecycle: { prevent_destroy: true } });
  });
});

describe("the S3 backend", () => {
  const s3 = parseCluster(
    overlayReference({ "terraform.backend": { type: "s3", bucket: "homelab-state", key: "homelab.tfstate", endpoint: "https://10.10.10.20:9000" } }),
    "s3.yaml",
  );
  const settings = stackOf(s3).terraform;

  it("writes the state encrypted and locks it with S3's own lock file (two applies at once cannot both write it)", () => {
    expect(settings.backend.s3).toMatchObject({ bucket: "homelab-state", key: "homelab.tfstate", encrypt: true, use_lockfile: true });
    expect(settings.required_version).toBe(">= 1.10.0");
  });

  it("is a backend block real `terraform init` accepts (it gets as far as asking S3, which is not there)", () => {
    const init = (backend: object) => {
      const dir = scratch(`s3-init-${Object.keys(backend).length}`);
      // The stack's settings but its providers (init would fetch them). In the block itself, not
      // as -backend-config: with one, terraform no longer refuses unknown arguments of the block.
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_version: settings.required_version, backend: { s3: backend } } }));
      return spawnSync("terraform", ["init", "-input=false", "-no-color"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" },
      });
    };
    // A closed local port stands in for the endpoint, one attempt only: no network, no waiting.
    const local = { ...settings.backend.s3, endpoints: { s3: "http://127.0.0.1:9" }, max_retries: 1 };
    expect(init(local).stderr).toMatch(/Failed to get existing workspaces/);
    // The check can fail: an argument the S3 backend does not have is refused before any request.
    expect(init({ ...local, use_lockfile_typo: true }).stderr).toMatch(/Extraneous JSON object property[\s\S]*use_lockfile_typo/);
  });
});
