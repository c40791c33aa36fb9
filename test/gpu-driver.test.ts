// The GPU worker's driver step, run by the real sh with fakes for the machine (uname, apt-get,
// dpkg-query, linux-version, modinfo, modprobe, nvidia-smi): modules and userspace of one driver
// version, a reboot (once) into the kernel the modules are built for, and a clear stop where a
// reboot cannot help.
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import { firstBootPath, firstBootScript } from "../infra/bootstrap/first-boot";
import { renderUserData } from "../infra/user-data";
import { nodePackages } from "../charts/platform/versions";
import { referenceSpec } from "./helpers/spec-fixture";
import { runWithFakes, type ScriptRun } from "./helpers/fake-commands";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const gpuWorker = reference.vms.find((v) => v.role === "gpu-worker")!;
const branch = `${nodePackages.nvidiaServerBranch}-server`;
const userData = parse(renderUserData(reference, gpuWorker)) as Record<string, any>;
const script: string = userData.write_files.find((f: any) => f.path === firstBootPath).content;
/** The lines of one step of the rendered script. */
function step(title: RegExp): string[] {
  const lines = script.split("\n");
  const start = lines.findIndex((l) => l.startsWith("begin '") && title.test(l));
  const end = lines.findIndex((l, i) => i > start && (l.startsWith("begin '") || l.includes("homelab-first-boot: done")));
  return lines.slice(start + 1, end).filter((l) => l.trim());
}
const driver = step(/NVIDIA driver/);

interface Machine {
  /** uname -r */
  readonly running: string;
  /** Installed kernels (linux-version list) → the nvidia module version modinfo reports for each ("" = none). */
  readonly modules: Record<string, string>;
  /** libnvidia-compute's package version. */
  readonly userspace: string;
}

/** The driver step as the script runs it, state paths moved into the test's directory, k3s last. */
function runDriver(name: string, machine: Machine, rebootedInto: string[] = []): ScriptRun & { k3s: boolean } {
  const moduleCases = Object.entries(machine.modules)
    .map(([kernel, version]) => `  ${kernel}) ${version ? `echo ${version}` : "exit 1"};;`)
    .join("\n");
  const steps = [
    {
      title: "test set-up",
      run: [
        'state_dir="$HOME/state"',
        'per_boot_link="$HOME/per-boot/homelab-first-boot"',
        'reboot_request="$HOME/reboot-request"',
        'mkdir -p "$state_dir"',
        ...rebootedInto.map((k) => `touch "$state_dir/rebooted-into-${k}"`),
      ],
    },
    { title: "NVIDIA driver", run: driver },
    { title: "k3s", run: ['touch "$HOME/k3s-installed"'] },
  ];
  const run = runWithFakes(name, firstBootScript(steps), {
    uname: `echo ${machine.running}`,
    "apt-get": "exit 0",
    dpkg: "exit 1",
    "dpkg-query": `echo ${machine.userspace}`,
    "linux-version": `case "$1" in list) printf '%s\\n' ${Object.keys(machine.modules).join(" ")};; sort) sort -V;; esac`,
    modinfo: `case "$2" in\n${moduleCases}\n  *) exit 1;;\nesac`,
    modprobe: "exit 0",
    "nvidia-smi": "echo 'GPU 0: NVIDIA GeForce RTX 3060'",
  });
  return { ...run, k3s: existsSync(join(run.dir, "k3s-installed")) };
}

const userspace = "580.126.20-0ubuntu0.24.04.2";

describe("the GPU worker's driver step", () => {
  it("installs the flavour's module metapackage and the userspace of one branch, NVDEC included, never modules for the running kernel", () => {
    const install = driver.find((l) => l.startsWith("apt_get install"))!;
    expect(install).toBe(
      `apt_get install --no-install-recommends "linux-modules-nvidia-${branch}-$flavour" nvidia-headless-no-dkms-${branch} nvidia-utils-${branch} libnvidia-encode-${branch} libnvidia-decode-${branch}`,
    );
    expect(driver.join("\n")).not.toMatch(/linux-modules-nvidia-\S*(uname|\$running)|nvidia-dkms|linux-headers/);
  });

  it("loads the driver when the running kernel's modules match the userspace: no reboot", () => {
    const run = runDriver("gpu-ready", { running: "6.8.0-149-generic", modules: { "6.8.0-149-generic": "580.126.20" }, userspace });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.calls).toEqual(expect.arrayContaining(["modprobe nvidia", "nvidia-smi -L"]));
    expect(run.k3s).toBe(true);
  });

  it("on a template whose kernel is older than the modules', reboots once into the newer kernel and resumes from cloud-init's per-boot scripts", () => {
    const run = runDriver("gpu-reboot", {
      running: "6.8.0-31-generic",
      modules: { "6.8.0-31-generic": "", "6.8.0-149-generic": "580.126.20" },
      userspace,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toContain("rebooting into kernel 6.8.0-149-generic");
    expect(run.stdout).not.toContain("homelab-first-boot: done");
    expect(run.calls).not.toContain("modprobe nvidia");
    expect(run.k3s).toBe(false);
    const files = ["reboot-request", "state/rebooted-into-6.8.0-149-generic"].map((f) => join(run.dir, f));
    for (const f of files) expect(() => readFileSync(f)).not.toThrow();
    expect(readlinkSync(join(run.dir, "per-boot", "homelab-first-boot"))).toBe(firstBootPath);
  });

  it("stops without a reboot when the newest kernel's modules are of another driver version than the userspace", () => {
    const run = runDriver("gpu-mismatch", {
      running: "6.8.0-31-generic",
      modules: { "6.8.0-31-generic": "", "6.8.0-149-generic": "580.105.08" },
      userspace,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("the NVIDIA modules for kernel 6.8.0-149-generic are driver 580.105.08, its userspace is 580.126.20");
    expect(run.stderr).toContain("Driver/library version mismatch");
    expect(existsSync(join(run.dir, "reboot-request"))).toBe(false);
    expect(run.k3s).toBe(false);
  });

  it("stops on a kernel flavour Ubuntu builds no NVIDIA modules for (a -kvm kernel): no reboot can help", () => {
    const run = runDriver("gpu-kvm", { running: "6.8.0-1020-kvm", modules: { "6.8.0-1020-kvm": "" }, userspace });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("the running kernel 6.8.0-1020-kvm is not Ubuntu's generic flavour");
    expect(run.calls.some((c) => c.startsWith("apt-get"))).toBe(false);
  });

  it("reboots only once: after a reboot that did not bring the modules' kernel up, it stops and says so", () => {
    const run = runDriver("gpu-rebooted", { running: "6.8.0-31-generic", modules: { "6.8.0-31-generic": "", "6.8.0-149-generic": "580.126.20" }, userspace }, [
      "6.8.0-149-generic",
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("rebooted once to run kernel 6.8.0-149-generic, and runs 6.8.0-31-generic");
    expect(existsSync(join(run.dir, "reboot-request"))).toBe(false);
  });

  it("asks the operator for a second reboot (power_state reboots once per instance) when a newer kernel arrived after the first", () => {
    const run = runDriver(
      "gpu-second-kernel",
      { running: "6.8.0-149-generic", modules: { "6.8.0-149-generic": "", "6.8.0-150-generic": "580.126.20" }, userspace },
      ["6.8.0-149-generic"],
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("kernel 6.8.0-150-generic arrived after this node's automatic reboot");
    expect(run.stderr).toContain("sudo reboot");
    expect(existsSync(join(run.dir, "reboot-request"))).toBe(false);
    expect(readlinkSync(join(run.dir, "per-boot", "homelab-first-boot"))).toBe(firstBootPath);
  });
});

describe("the reboot, seen from cloud-init", () => {
  it("reboots a GPU worker when its first boot asks for it, and only then (power_state with a condition)", () => {
    expect(userData.power_state).toEqual({
      mode: "reboot",
      condition: "test -e /run/homelab-first-boot.reboot",
      message: expect.stringMatching(/NVIDIA/),
    });
    for (const vm of reference.vms.filter((v) => v.role !== "gpu-worker")) expect(parse(renderUserData(reference, vm)).power_state).toBeUndefined();
  });

  it("the finished script removes its per-boot link, so it runs at no later boot", () => {
    const lines = script.split("\n");
    const done = lines.findIndex((l) => l.includes("homelab-first-boot: done"));
    expect(lines.slice(done - 2, done)).toContain('rm -f "$per_boot_link" "$reboot_request"');
    expect(script).toContain("per_boot_link=/var/lib/cloud/scripts/per-boot/homelab-first-boot");
    expect(script).toContain("reboot_request=/run/homelab-first-boot.reboot");
  });
});
