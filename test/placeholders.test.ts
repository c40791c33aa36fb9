// Placeholders: values the spec marks as still to be replaced. Synth warns about each, with its
// line; `npm run check -- --strict` fails on them; plain `npm run check` says how many there are.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { sealedTargets } from "../charts/sealed/targets";
import { parseCluster } from "../cluster/load";
import { writeLab } from "./helpers/sealing-key";
import { listFixtures, referenceSpec } from "./helpers/spec-fixture";
import { runScript, runSynth, scratch } from "./helpers/tree";

describe("placeholders", () => {
  const dir = scratch("placeholders");
  const spec = join(dir, "spec.yaml");
  // The reference lab marks the values its host must give (GPU ids, the PVE version) and an SSH key.
  writeFileSync(spec, readFileSync(referenceSpec, "utf8"));
  const out = join(dir, "dist");
  const synth = runSynth(["--cluster", spec, "--out", out]);

  it("synth warns about each, naming the line, and still writes the output", () => {
    expect(synth.status).toBe(0);
    const line =
      readFileSync(spec, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("iommuGroup: !placeholder")) + 1;
    expect(synth.stderr).toContain(`spec.yaml:${line}: proxmox.nodes[0].gpus[0].iommuGroup is a placeholder`);
    expect(synth.stderr).toMatch(/ssh\.authorizedKeys\[0\] is a placeholder/); // replace-me@homelab
  });

  it("check --strict fails on them (without --strict, check passes on the reference lab: test/check.test.ts)", () => {
    const strict = runScript("scripts/check.ts", ["--cluster", spec, "--out", out, "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/iommuGroup is a placeholder.*\[placeholder\]/);
    // The lab before its first apply: no sealing certificate, the platform's secrets not sealed.
    expect(strict.stdout).toMatch(/sealing-cert\.pem does not exist yet: .*\[placeholder\]/);
    expect(strict.stdout).toMatch(/npm run seal -- cert-manager CLOUDFLARE_API_TOKEN with the value on stdin \[placeholder\]/);
    expect(strict.stdout).toMatch(/check: 11 findings in .*, 11 placeholders\)/);
  });

  it("check refuses an --out that holds no output: exit 2, one line", () => {
    const result = runScript("scripts/check.ts", ["--out", join(dir, "nothing-here")]);
    expect(result).toMatchObject({ status: 2, stderr: expect.stringMatching(/^check: --out .*nothing-here is not a directory; run npm run synth first/) });
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("synth --quiet stays quiet", () => {
    expect(runSynth(["--cluster", spec, "--out", out, "--quiet"])).toMatchObject({ status: 0, stdout: "", stderr: "" });
  });
});

it("check --strict passes on a lab with nothing left to fill in (another lab, applied once and sealed)", () => {
  const dir = scratch("placeholders-none");
  const lab = listFixtures("valid").find((f) => f.name === "another-lab")!;
  // Every value its platform, apps and VPN regions ask for, sealed (a VPN region takes any names).
  const sealed = sealedTargets(parseCluster(lab.text, "homelab.yaml")).flatMap((t) =>
    (t.values?.map((v) => v.name) ?? ["VPN_SERVICE_PROVIDER"]).map((name): [string, string] => [t.owner, name]),
  );
  const spec = writeLab(dir, "homelab.yaml", { text: lab.text, sealed });
  const out = join(dir, "dist");
  expect(runSynth(["--cluster", spec, "--out", out])).toMatchObject({ status: 0, stderr: "" });
  const strict = runScript("scripts/check.ts", ["--cluster", spec, "--out", out, "--strict"]);
  expect(strict).toMatchObject({ status: 0, stdout: expect.stringMatching(/^check: .* passes \(/m) });
  expect(strict.stdout).not.toMatch(/\[placeholder\]|placeholders: --strict/);
});
