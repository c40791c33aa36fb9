// Before test files run in parallel: builds (or refreshes) the synth startup snapshot once, so no
// test pays for it or races another to build it (`--help` runs nothing else), and synthesizes the
// reference lab once into .test-dist-reference (test/helpers/tree.ts referenceOutput), which
// suites read instead of the repository's own dist/ (that one is the owner's lab).
const { spawnSync } = require("node:child_process");
const { existsSync, readFileSync, rmSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const synth = (...args) => spawnSync("sh", [join(root, "scripts", "synth.sh"), ...args], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });

module.exports = () => {
  let result = synth("--help");
  if (result.status !== 0) throw new Error(`scripts/synth.sh --help failed (exit ${result.status})`);
  const out = join(root, ".test-dist-reference");
  rmSync(out, { recursive: true, force: true });
  result = synth("--cluster", join(root, "test", "fixtures", "reference", "homelab.yaml"), "--out", out, "--quiet");
  if (result.status !== 0) throw new Error(`synth of the reference lab (test/fixtures/reference/homelab.yaml) failed (exit ${result.status})`);
  // A note, never a failure: an owner's lab differs from the reference by design; in the product's
  // own repository the two are meant to be equal (a change to one belongs in the other).
  const own = join(root, "cluster", "homelab.yaml");
  const reference = join(root, "test", "fixtures", "reference", "homelab.yaml");
  if (existsSync(own) && readFileSync(own, "utf8") !== readFileSync(reference, "utf8"))
    process.stderr.write(
      "\nnote: cluster/homelab.yaml is not the reference lab (test/fixtures/reference/homelab.yaml); the product's tests run on the reference, test/own-lab.test.ts on yours.\n",
    );
};
