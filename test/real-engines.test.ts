// The user-data we emit, checked by the engines that run it: cloud-init's own schema
// (`cloud-init schema`, Debian's cloud-init package) and shellcheck for every shell script in it.
// Without those tools the suite says so and skips; .ci/run installs both.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Vm } from "../cluster/schema";
import { renderUserData } from "../infra/user-data";
import { describeSecrets } from "../infra/bootstrap/secrets";
import { referenceSpec } from "./helpers/spec-fixture";
import { onPath, runWithInput as run } from "./helpers/tools";
import { scratch } from "./helpers/tree";

const cloudInit = onPath("cloud-init");
const shellcheck = onPath("shellcheck");
for (const [tool, ok] of [
  ["cloud-init", cloudInit],
  ["shellcheck", shellcheck],
] as const) {
  if (!ok) console.warn(`SKIPPED: ${tool} is not installed, so the user-data is not checked by it (apt-get install ${tool}; .ci/run does)`);
}

const cluster = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
/** One VM per kind of user-data: the first server (it carries the auto-deploy manifests), then one per role. */
const kinds = [cluster.vms[0], ...new Map(cluster.vms.slice(1).map((vm) => [vm.role, vm] as const)).values()];
const dir = scratch("real-engines");

const validateUserData = (file: string) => run("cloud-init", ["schema", "--config-file", file]);
const lintShell = (script: string) => run("shellcheck", ["--shell=sh", "-"], script);

/** Every shell script in a cloud-config: executable write_files and `sh -c` commands. */
function scriptsOf(userData: string): string[] {
  const config = parse(userData) as { write_files: { content: string }[]; runcmd: string[][] };
  const files = config.write_files.map((f) => f.content).filter((c) => c.startsWith("#!/bin/sh"));
  const commands = config.runcmd.filter((c) => c[0] === "sh" && c[1] === "-c").map((c) => `#!/bin/sh\n${c[2]}\n`);
  return [...files, ...commands];
}

const userDataOf = (vm: Vm) => describeSecrets(renderUserData(cluster, vm));

(cloudInit ? describe : describe.skip)("cloud-init schema", () => {
  it("accepts the user-data of every kind of node", async () => {
    const results = await Promise.all(
      kinds.map((vm) => {
        const file = join(dir, `${vm.name}.yaml`);
        writeFileSync(file, userDataOf(vm));
        return validateUserData(file).then((r) => ({ vm: vm.name, ...r }));
      }),
    );
    for (const r of results) expect(r).toEqual({ vm: r.vm, status: 0, output: expect.stringContaining("Valid cloud-config") });
  }, 60_000);

  it("rejects user-data with a wrong shape (the check can fail)", async () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, userDataOf(kinds[0]).replace(/^runcmd:/m, "runcmd: 5\nunused:"));
    expect((await validateUserData(file)).status).not.toBe(0);
  }, 30_000);
});

(shellcheck ? describe : describe.skip)("shellcheck", () => {
  it("finds nothing in the shell scripts of any node's user-data", async () => {
    const scripts = [...new Set(kinds.flatMap((vm) => scriptsOf(userDataOf(vm))))];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const script of scripts)
      expect({ script: script.split("\n")[1], ...(await lintShell(script)) }).toEqual({ script: script.split("\n")[1], status: 0, output: "" });
  }, 30_000);

  it("finds an unquoted variable (the check can fail)", async () => {
    expect((await lintShell("#!/bin/sh\nrm -rf $1/cache\n")).status).not.toBe(0);
  });
});
