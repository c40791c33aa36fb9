// How a node's first boot joins the cluster and talks to apt, run by the real sh with fakes for
// the outside world (curl, systemctl, apt-get): joining nodes wait, bounded, for the API VIP
// before k3s installs; k3s is started and waited for (bounded) instead of install.sh's one-shot
// `systemctl restart`; the failure message says what is true of k3s; k3s never installs
// without its config; `apt-get update` is retried while another apt holds the lists lock.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster, Vm } from "../cluster/schema";
import { firstBootPath, firstBootScript } from "../infra/bootstrap/first-boot";
import { renderUserData } from "../infra/user-data";
import { fixturesDir, loadFixture, referenceSpec } from "./helpers/spec-fixture";
import { failingFirst, runWithFakes } from "./helpers/fake-commands";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
/** Another lab: one control plane, two workers, another subnet. */
const small = parseCluster(loadFixture(join(fixturesDir, "valid", "single-node.yaml")).text, "single-node.yaml");
const scriptOf = (cluster: Cluster, vm: Vm) =>
  (parse(renderUserData(cluster, vm)) as { write_files: { path: string; content: string }[] }).write_files.find((f) => f.path === firstBootPath)!.content;
const k3sStepOf = (cluster: Cluster, vm: Vm) => {
  const script = scriptOf(cluster, vm);
  return script.slice(script.indexOf(`begin 'k3s ${cluster.k3s.version}'`)).split("\n");
};
const installLine = (lines: string[]) => lines.findIndex((l) => l.includes("/install.sh") && l.startsWith("INSTALL_K3S_SKIP_DOWNLOAD=true"));
const sleepsFake = ""; // sleep returns at once; its calls are logged

describe("joining the cluster", () => {
  it.each([
    ["the reference lab", reference],
    ["a lab with one control plane", small],
  ])("in %s, every node but the first control plane waits for the API VIP before k3s installs, naming the first control plane", (_lab, cluster) => {
    const [first] = cluster.vms;
    for (const vm of cluster.vms) {
      const lines = k3sStepOf(cluster, vm);
      const wait = lines.findIndex((l) => l.startsWith("wait_for_api "));
      if (vm === first) {
        expect(wait).toBe(-1);
        continue;
      }
      expect(lines[wait]).toBe(`wait_for_api https://${cluster.network.apiVip}:6443/cacerts 20 '${first.name} (${first.ip})'`);
      expect(wait).toBeLessThan(installLine(lines));
    }
  });

  it("installs k3s without install.sh's one-shot start, then starts it and waits for it, bounded", () => {
    for (const vm of reference.vms) {
      const lines = k3sStepOf(reference, vm);
      const install = installLine(lines);
      expect(lines[install]).toContain("INSTALL_K3S_SKIP_START=true");
      expect(lines[install + 1]).toBe(`start_unit ${vm.role === "control-plane" ? "k3s" : "k3s-agent"} 15`);
    }
  });

  it("stops before anything of k3s is installed when cloud-init did not write k3s's config (R7)", () => {
    const lines = k3sStepOf(small, small.vms[1]);
    const check = lines.findIndex((l) => l === "if [ ! -s /etc/rancher/k3s/config.yaml ]; then");
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(lines.findIndex((l) => l.startsWith("install -m 0755")));
    expect(lines[check + 1]).toMatch(/config\.yaml is missing or empty/);
  });

  it("gives up on a VIP that never answers, naming it and the first control plane (real sh)", () => {
    const script = firstBootScript([{ title: "k3s v1", run: ["wait_for_api https://192.0.2.19:6443/cacerts 0 'cp-1 (192.0.2.20)'", "touch k3s-installed"] }]);
    const run = runWithFakes("join-vip-never", script, { curl: "exit 7", sleep: sleepsFake, systemctl: "exit 1" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("https://192.0.2.19:6443/cacerts did not answer within 0 minutes");
    expect(run.stderr).toContain("cp-1 (192.0.2.20)");
    expect(run.stderr).toContain("FAILED at step 'k3s v1'");
    expect(run.calls.filter((c) => c.startsWith("curl")).length).toBe(1);
  });

  it("goes on as soon as the VIP answers, backing off between tries (real sh)", () => {
    const script = firstBootScript([{ title: "k3s v1", run: ["wait_for_api https://192.0.2.19:6443/cacerts 20 'cp-1 (192.0.2.20)'"] }]);
    const run = runWithFakes("join-vip-later", script, { curl: failingFirst(3, 7, "", "curl"), sleep: sleepsFake });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.calls.filter((c) => c.startsWith("sleep"))).toEqual(["sleep 5", "sleep 10", "sleep 20"]);
    const probe = run.calls.find((c) => c.startsWith("curl"))!;
    expect(probe).toContain("--fail");
    expect(probe).toContain("https://192.0.2.19:6443/cacerts");
  });

  it("fails, naming the unit and its journal, when k3s never becomes active (real sh)", () => {
    const script = firstBootScript([{ title: "k3s v1", run: ["start_unit k3s-agent 0"] }]);
    const run = runWithFakes("join-unit-never", script, {
      systemctl: 'case "$1" in restart) exit 0;; is-enabled) exit 0;; is-active) exit 3;; esac',
      sleep: sleepsFake,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("k3s-agent did not become active within 0 minutes");
    expect(run.stderr).toContain("journalctl -u k3s-agent");
    // A unit stuck activating is restarted, so a re-run after a fix reads the corrected config.
    expect(run.calls).toContain("systemctl restart --no-block k3s-agent");
  });

  it("leaves a unit that is already active alone (a re-run after the node joined) (real sh)", () => {
    const script = firstBootScript([{ title: "k3s v1", run: ["start_unit k3s-agent 15"] }]);
    const run = runWithFakes("join-unit-active", script, { systemctl: "exit 0", sleep: sleepsFake });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.calls.filter((c) => c.includes("restart"))).toEqual([]);
  });

  it.each([
    ["k3s is not installed", "exit 1", "k3s is not installed on this node"],
    [
      "k3s installed but not running (the join failed)",
      'case "$1" in is-enabled) [ "$3" = k3s-agent ];; *) exit 3;; esac',
      "k3s is installed but k3s-agent is not running",
    ],
    [
      "k3s installed and running (a later re-run failed early)",
      'case "$1" in is-enabled|is-active) [ "$3" = k3s ];; *) exit 3;; esac',
      "k3s is installed and k3s is running",
    ],
  ])("says what is true of k3s when a step fails: %s (real sh)", (_what, systemctl, truth) => {
    const script = firstBootScript([{ title: `k3s v1`, run: ["false"] }]);
    const run = runWithFakes("join-truth", script, { systemctl });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`FAILED at step 'k3s v1' (exit 1); ${truth}`);
  });
});

describe("apt on the first boot", () => {
  it("retries apt-get update while another apt holds the lists lock, then goes on (real sh)", () => {
    const script = firstBootScript([{ title: "system packages", run: ["apt_update", "touch packages-done"] }]);
    const lock = "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 812 (apt-get)";
    const run = runWithFakes("apt-lists-lock", script, { "apt-get": failingFirst(2, 100, lock, "apt"), sleep: sleepsFake });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith("apt-get"))).toHaveLength(3);
    expect(run.calls.filter((c) => c.startsWith("sleep"))).toEqual(["sleep 20", "sleep 40"]);
  });

  it("counts a mirror that does not answer as a failure, which apt-get update alone only warns about", () => {
    const script = firstBootScript([{ title: "system packages", run: ["apt_update"] }]);
    // apt exits 0 after "W: Failed to fetch …" unless APT::Update::Error-Mode is any.
    const run = runWithFakes("apt-mirror-down", script, { "apt-get": 'case " $* " in *" APT::Update::Error-Mode=any "*) exit 100;; esac', sleep: sleepsFake });
    expect(run.calls.filter((c) => c.startsWith("apt-get")).length).toBe(8);
    expect(run.status).not.toBe(0);
  });

  it("gives up after about 9 minutes of tries (real sh)", () => {
    const script = firstBootScript([{ title: "system packages", run: ["apt_update"] }]);
    const run = runWithFakes("apt-lists-lock-forever", script, { "apt-get": "exit 100", sleep: sleepsFake });
    expect(run.status).not.toBe(0);
    const sleeps = run.calls.filter((c) => c.startsWith("sleep")).map((c) => Number(c.split(" ")[1]));
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(560);
    expect(run.stderr).toContain("FAILED at step 'system packages'");
  });

  it("never runs apt-get update without the retry, on any node", () => {
    for (const cluster of [reference, small])
      for (const vm of cluster.vms) {
        const script = scriptOf(cluster, vm);
        expect(script.split("\n").filter((l) => /^\s*apt_get update\b|^\s*apt-get update\b/.test(l))).toEqual([]);
        expect(script).toContain("\napt_update\n");
      }
  });
});
