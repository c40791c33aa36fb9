// A node's first boot: one script that stops at the first failing step (run here by the real sh),
// k3s last, every download retried, apt waiting for dpkg's lock, and on GPU workers Ubuntu's
// precompiled NVIDIA modules; and the `npm run check` rules that fail when any of it is put back.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster, Vm } from "../cluster/schema";
import { firstBootPath, firstBootScript } from "../infra/bootstrap/first-boot";
import { renderUserData } from "../infra/user-data";
import { nodePackages } from "../charts/platform/versions";
import { checkFirstBoot } from "../scripts/lib/check/first-boot-findings";
import { nodePackagesFor } from "../infra/bootstrap/node-setup";
import { yamlText } from "../lib/yaml-text";
import { fixturesDir, loadFixture, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
/** Not the reference lab: another subnet and user, one control plane, no GPU, no shared directories. */
const small = parseCluster(loadFixture(join(fixturesDir, "valid", "single-node.yaml")).text, "single-node.yaml");
const config = (cluster: Cluster, vm: Vm) => parse(renderUserData(cluster, vm)) as { runcmd: string[][]; write_files: any[]; packages?: string[] };
const scriptOf = (cluster: Cluster, vm: Vm) => config(cluster, vm).write_files.find((f) => f.path === firstBootPath).content as string;
/** The script's steps: title → lines. */
function stepsOf(script: string): [string, string[]][] {
  const steps: [string, string[]][] = [];
  let inStep = false;
  for (const line of script.split("\n")) {
    const begin = /^begin '(.*)'$/.exec(line);
    if (begin) steps.push([begin[1], []]);
    if (begin || !line.trim()) inStep = !!begin;
    else if (inStep) steps[steps.length - 1][1].push(line);
  }
  return steps;
}
const gpuWorker = reference.vms.find((v) => v.role === "gpu-worker")!;

describe("the first-boot script", () => {
  it("stops at the first failing step, names it, and never runs the steps after it (real sh)", () => {
    const dir = scratch("first-boot-sh");
    const marker = join(dir, "k3s-installed");
    const script = firstBootScript([
      { title: "packages", run: ["true"] },
      { title: "NVIDIA driver", run: ["false"] },
      { title: "k3s", run: [`touch ${marker}`] },
    ]);
    writeFileSync(join(dir, "first-boot"), script);
    const result = spawnSync("sh", [join(dir, "first-boot")], { encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(result.stderr).toContain("FAILED at step 'NVIDIA driver' (exit 1); k3s is not installed on this node");
    expect(result.stdout).toContain("homelab-first-boot: packages\nhomelab-first-boot: NVIDIA driver\n");
  });

  it("runs every step and says done when nothing fails (real sh)", () => {
    const dir = scratch("first-boot-sh-ok");
    const marker = join(dir, "k3s-installed");
    writeFileSync(join(dir, "first-boot"), firstBootScript([{ title: "k3s", run: [`touch ${marker}`] }]));
    const result = spawnSync("sh", [join(dir, "first-boot")], { encoding: "utf8" });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(existsSync(marker)).toBe(true);
  });

  it.each([
    ["the reference lab", reference],
    ["a small lab without GPU or shared directories", small],
  ])("is the only runcmd of every node in %s, installs packages itself and k3s last", (_what, cluster) => {
    for (const vm of cluster.vms) {
      const c = config(cluster, vm);
      expect(c.runcmd).toEqual([[firstBootPath]]);
      expect(c.packages).toBeUndefined();
      const steps = stepsOf(scriptOf(cluster, vm));
      expect(steps[0][0]).toBe("system packages");
      expect(steps[steps.length - 1][0]).toBe(`k3s ${cluster.k3s.version}`);
      const [install, start] = steps[steps.length - 1][1].slice(-2);
      expect(install).toBe(
        `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_SKIP_START=true INSTALL_K3S_VERSION='${cluster.k3s.version}' INSTALL_K3S_EXEC='${vm.role === "control-plane" ? "server" : "agent"}' sh /var/lib/homelab/downloads/k3s/install.sh`,
      );
      expect(start).toMatch(/^start_unit k3s(-agent)? \d+$/);
    }
  });

  it("checks the k3s binary against the release's checksum list before installing it", () => {
    const [, lines] = stepsOf(scriptOf(small, small.vms[0])).at(-1)!;
    const tag = encodeURIComponent(small.k3s.version);
    expect(lines.join("\n")).toContain(`-o /var/lib/homelab/downloads/k3s/k3s https://github.com/k3s-io/k3s/releases/download/${tag}/k3s`);
    expect(lines.join("\n")).toContain(`https://raw.githubusercontent.com/k3s-io/k3s/${tag}/install.sh`);
    const verify = lines.findIndex((l) => l.includes("sha256sum --check --strict"));
    expect(verify).toBeGreaterThan(0);
    expect(verify).toBeLessThan(lines.findIndex((l) => l.startsWith("install -m 0755")));
  });

  it("on workers, stops unless every shared directory and the Longhorn disk is mounted (fstab says nofail)", () => {
    const worker = reference.vms.find((v) => v.role === "worker")!;
    const mounts = stepsOf(scriptOf(reference, worker)).find(([title]) => title === "shared directories and the Longhorn disk")![1];
    expect(mounts.filter((l) => l.startsWith("mountpoint -q"))).toEqual(["mountpoint -q /data", "mountpoint -q /archive", "mountpoint -q /var/lib/longhorn"]);
    const [cp, smallWorker] = small.vms;
    expect(stepsOf(scriptOf(small, cp)).map(([t]) => t)).not.toContain("shared directories and the Longhorn disk");
    const smallMounts = stepsOf(scriptOf(small, smallWorker)).find(([title]) => title === "shared directories and the Longhorn disk")![1];
    // The small lab shares one directory, its app backups' (platform.volsync.sharedDirectory).
    expect(smallMounts.filter((l) => l.startsWith("mountpoint -q"))).toEqual(["mountpoint -q /data", "mountpoint -q /var/lib/longhorn"]);
  });
});

describe("what the steps install and load", () => {
  it("installs multipath-tools on every worker before restarting multipathd (R3: the cloud image need not have it)", () => {
    for (const cluster of [reference, small])
      for (const vm of cluster.vms) {
        const steps = stepsOf(scriptOf(cluster, vm));
        const restart = steps.findIndex(([, lines]) => lines.includes("systemctl restart multipathd"));
        if (restart === -1) continue;
        expect(nodePackagesFor(vm)).toContain("multipath-tools");
        expect(steps.findIndex(([title]) => title === "system packages")).toBeLessThan(restart);
      }
    expect(nodePackagesFor(reference.vms[0])).not.toContain("multipath-tools");
  });

  it("loads only its own kernel settings, so an unrelated sysctl.d file cannot fail the step (N5)", () => {
    const [, lines] = stepsOf(scriptOf(small, small.vms[0])).find(([title]) => title === "kernel settings")!;
    expect(lines).toEqual(["sysctl -p /etc/sysctl.d/90-k3s.conf"]);
  });
});

describe("the GPU path", () => {
  const steps = stepsOf(scriptOf(reference, gpuWorker));
  const driver = steps.find(([title]) => title.startsWith("NVIDIA driver"))![1].join("\n");

  it("installs Ubuntu's precompiled modules through their flavour metapackage, no DKMS (run by sh in gpu-driver.test.ts)", () => {
    const branch = `${nodePackages.nvidiaServerBranch}-server`;
    expect(driver).toContain(`apt_get install --no-install-recommends "linux-modules-nvidia-${branch}-$flavour" nvidia-headless-no-dkms-${branch}`);
    expect(driver).not.toMatch(/nvidia-dkms|nvidia-headless-\d+-server\b|linux-headers/);
    expect(driver.indexOf("modprobe nvidia")).toBeGreaterThan(driver.indexOf("apt_get install"));
    expect(driver).toContain("nvidia-smi -L");
  });

  it("pins a server branch noble still supports (570-server is transitional to 580-server)", () => {
    expect(nodePackages.nvidiaServerBranch).not.toBe("570");
    expect(Number(nodePackages.nvidiaServerBranch)).toBeGreaterThanOrEqual(580);
  });

  it("installs the driver and the container toolkit before k3s, on the GPU worker only", () => {
    const titles = steps.map(([t]) => t);
    expect(titles.findIndex((t) => t === "NVIDIA container toolkit")).toBeLessThan(titles.length - 1);
    expect(titles.findIndex((t) => t.startsWith("NVIDIA driver"))).toBeLessThan(titles.findIndex((t) => t === "NVIDIA container toolkit"));
    for (const vm of reference.vms.filter((v) => v.role !== "gpu-worker")) expect(scriptOf(reference, vm)).not.toContain("nvidia");
  });

  it("pins NVIDIA's container toolkit, all four of its packages at one version, with an annotation Renovate reads (N4)", () => {
    const toolkit = steps.find(([title]) => title === "NVIDIA container toolkit")![1];
    const version = `${nodePackages.nvidiaContainerToolkit}-1`;
    expect(toolkit.find((l) => l.startsWith("apt_get install"))).toBe(
      `apt_get install --no-install-recommends nvidia-container-toolkit=${version} nvidia-container-toolkit-base=${version} libnvidia-container-tools=${version} libnvidia-container1=${version}`,
    );
    const renovate = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8"));
    const manager = renovate.customManagers.find((m: any) => m.matchStrings.some((s: string) => s.includes("nvidiaContainerToolkit")));
    const source = readFileSync(join(root, "charts/platform/versions.ts"), "utf8");
    expect(new RegExp(manager.matchStrings[0]).exec(source)?.groups).toEqual({
      datasource: "github-releases",
      depName: "NVIDIA/nvidia-container-toolkit",
      currentValue: nodePackages.nvidiaContainerToolkit,
    });
    expect(new RegExp(manager.extractVersionTemplate).exec("v1.18.2")?.groups?.version).toBe("1.18.2");
  });

  it("carries the Renovate annotation renovate.json's manager extracts (checked with real Renovate: see the report)", () => {
    const renovate = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8"));
    const manager = renovate.customManagers.find((m: any) => m.matchStrings.some((s: string) => s.includes("git-refs")));
    const source = readFileSync(join(root, "charts/platform/versions.ts"), "utf8");
    const match = new RegExp(manager.matchStrings[0]).exec(source);
    expect(match?.groups).toEqual({
      datasource: "git-refs",
      depName: "https://github.com/canonical/nvidia-graphics-drivers",
      currentValue: nodePackages.nvidiaServerBranch,
    });
    expect(new RegExp(manager.extractVersionTemplate).exec("595-server-noble")?.groups?.version).toBe("595");
    expect(new RegExp(manager.extractVersionTemplate).test("580-server-jammy")).toBe(false);
  });
});

describe("npm run check's first-boot rules fail when a fix is put back", () => {
  const file = "bootstrap/k3s-master-1.user-data.yaml";
  const first = reference.vms[0];
  const original = parse(renderUserData(reference, first));
  const findingsOf = (edit: (c: any) => void) => {
    const c = structuredClone(original);
    edit(c);
    return checkFirstBoot(new Map([[file, `#cloud-config\n${yamlText(c)}`]]));
  };
  const script = (c: any) => c.write_files.find((f: any) => f.path === firstBootPath);

  it("finds nothing in the user-data synth writes, for any lab", () => {
    for (const cluster of [reference, small])
      for (const vm of cluster.vms) expect(checkFirstBoot(new Map([[`bootstrap/${vm.name}.user-data.yaml`, renderUserData(cluster, vm)]]))).toEqual([]);
  });

  it.each([
    [
      "k3s's install.sh piped into sh (the old runcmd)",
      (c: any) =>
        c.runcmd.push(["sh", "-c", "curl -fsSL https://raw.githubusercontent.com/k3s-io/k3s/v1.33.5%2Bk3s1/install.sh | INSTALL_K3S_EXEC='server' sh -"]),
      "runcmd line",
      /into a pipeline, whose status is its last command's/,
    ],
    [
      "the Gateway API CRDs downloaded once (the old runcmd)",
      (c: any) => (script(c).content = script(c).content.replace(/curl --fail .*? -o (\S+00-gateway-api-standard\.yaml)/, "curl -fsSL -o $1")),
      `${firstBootPath} line`,
      /downloads https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.3\.0\/standard-install\.yaml once/,
    ],
    ["a download without --fail", (c: any) => (script(c).content = script(c).content.replaceAll("curl --fail ", "curl ")), firstBootPath, /without --fail/],
    [
      "runcmd's steps without set -e (the old runcmd)",
      (c: any) => (c.runcmd = [["sysctl", "--system"], ["/usr/local/sbin/homelab-nvidia-setup"]]),
      "runcmd",
      /has no `set -e`/,
    ],
    [
      "the script without set -eu",
      (c: any) => (script(c).content = script(c).content.replace("set -eu\n", "")),
      firstBootPath,
      /goes on after a failing command/,
    ],
    ["packages left to cloud-init's module", (c: any) => (c.packages = ["qemu-guest-agent"]), "packages", /runcmd runs anyway/],
    [
      "apt-get update run once (R1: DPkg::Lock::Timeout does not cover the lists lock)",
      (c: any) => (script(c).content = script(c).content.replace("\napt_update\n", "\napt_get update\n")),
      `${firstBootPath} line`,
      /runs apt-get update once/,
    ],
    [
      "apt-get without a lock timeout",
      (c: any) => (script(c).content = script(c).content.replace("-o DPkg::Lock::Timeout=600 ", "")),
      firstBootPath,
      /dpkg's lock/,
    ],
  ])("%s", (_what, edit, object, message) => {
    const found = findingsOf(edit as (c: any) => void);
    const hit = found.find((f) => f.object.startsWith(object as string) && (message as RegExp).test(f.message));
    expect({ found: found.map((f) => `${f.object}: ${f.message}`), hit: !!hit }).toMatchObject({ hit: true });
    expect(hit!.rule).toBe("first-boot");
    expect(hit!.fix.length).toBeGreaterThan(10);
  });

  it.each([
    [
      "a joining node that does not wait for the VIP (B1)",
      (t: string) => t.replace(/\nwait_for_api [^\n]*/, ""),
      /installs k3s, which joins https:\/\/10\.10\.10\.49:6443, without waiting for it/,
    ],
    [
      "install.sh's own one-shot start (B1, R4)",
      (t: string) => t.replace("INSTALL_K3S_SKIP_START=true ", ""),
      /starts k3s with install\.sh's single `systemctl restart`/,
    ],
  ])("%s", (_what, edit, message) => {
    const c = parse(renderUserData(reference, reference.vms[1]));
    script(c).content = edit(script(c).content);
    const found = checkFirstBoot(new Map([[file, `#cloud-config\n${yamlText(c)}`]]));
    expect(found.map((f) => ({ rule: f.rule, object: f.object.replace(/\d+$/, "N"), hit: message.test(f.message) }))).toEqual([
      { rule: "first-boot", object: `${firstBootPath} line N`, hit: true },
    ]);
  });

  it("accepts a curl that a retry loop repeats (the VIP probe), and finds it once the loop is gone", () => {
    const joining = reference.vms[1];
    const text = renderUserData(reference, joining);
    expect(checkFirstBoot(new Map([[file, text]]))).toEqual([]);
    const c = parse(text);
    script(c).content = script(c).content.replace("until curl ", "curl ");
    expect(checkFirstBoot(new Map([[file, `#cloud-config\n${yamlText(c)}`]])).map((f) => f.message)).toEqual([expect.stringMatching(/downloads a URL once/)]);
  });
});
