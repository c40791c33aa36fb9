// Builds (or refreshes) the synth startup snapshot once, before test files run in parallel, so
// no test pays for it or races another to build it. `--help` runs nothing else.
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

module.exports = () => {
  const result = spawnSync("sh", [join(__dirname, "..", "scripts", "synth.sh"), "--help"], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`scripts/synth.sh --help failed (exit ${result.status})`);
};
