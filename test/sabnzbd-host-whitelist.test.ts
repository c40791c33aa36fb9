// Item 9 of issue 17: SABnzbd refuses a Host header it does not know ("Hostname verification
// failed", sabnzbd/sabnzbd@4.5.3:sabnzbd/interface.py#L227-L259) until the route's host is in
// [misc] host_whitelist of /config/sabnzbd.ini. An init step puts it there; the script runs here
// under a real sh and passes shellcheck.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import { renderApplications } from "../charts/k8s-app";
import { referenceSpec } from "./helpers/spec-fixture";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const pod = (app: string) =>
  renderApplications(reference)
    .get(app)!
    .find((o: any) => o.kind === "Deployment").spec.template.spec;

describe("SABnzbd accepts its route's host", () => {
  const spec = pod("sabnzbd");
  const init = spec.initContainers?.find((c: any) => c.name === "host-whitelist");

  it("runs an init step with the app's own image on the config volume, before the VPN sidecar", () => {
    expect(init).toMatchObject({ image: "lscr.io/linuxserver/sabnzbd:4.5.3", volumeMounts: [{ name: "config", mountPath: "/config" }] });
    expect(init.args).toEqual(["sabnzbd.lab.alexkm.me"]);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(["host-whitelist", "gluetun"]);
    expect(pod("sonarr").initContainers).toBeUndefined();
  });

  const script = () => init.command[2] as string;
  const run = (ini: string | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), "sabnzbd-"));
    const file = join(dir, "sabnzbd.ini");
    if (ini !== undefined) writeFileSync(file, ini);
    const result = spawnSync("sh", ["-c", script(), "host-whitelist", "sabnzbd.lab.alexkm.me"], {
      env: { ...process.env, SABNZBD_INI: file },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    return readFileSync(file, "utf8");
  };

  it.each([
    ["no config yet", undefined, "[misc]\nhost_whitelist = sabnzbd.lab.alexkm.me,\n"],
    [
      "a [misc] with other hosts",
      "[misc]\nport = 8080\nhost_whitelist = sabnzbd-7d9f, nas.local,\n[servers]\n",
      "[misc]\nport = 8080\nhost_whitelist = sabnzbd-7d9f, nas.local, sabnzbd.lab.alexkm.me,\n[servers]\n",
    ],
    [
      "a [misc] without the key, another section after it",
      "[misc]\nport = 8080\n[logging]\nlevel = 1\n",
      "[misc]\nport = 8080\nhost_whitelist = sabnzbd.lab.alexkm.me,\n[logging]\nlevel = 1\n",
    ],
    [
      "no [misc] at all",
      "__version__ = 19\n[logging]\nlevel = 1\n",
      "__version__ = 19\n[logging]\nlevel = 1\n[misc]\nhost_whitelist = sabnzbd.lab.alexkm.me,\n",
    ],
    [
      "the host already there (nothing changes)",
      "[misc]\nhost_whitelist = sabnzbd.lab.alexkm.me, other,\n",
      "[misc]\nhost_whitelist = sabnzbd.lab.alexkm.me, other,\n",
    ],
  ])("edits %s", (_what, before, after) => {
    expect(run(before)).toBe(after);
  });

  it("passes shellcheck", () => {
    const result = spawnSync("shellcheck", ["-s", "sh", "-"], { input: script(), encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
