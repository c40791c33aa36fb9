#!/usr/bin/env node
// npm's `prepare` step: points git at .githooks/ so the pre-commit check runs. Does nothing
// outside a git checkout (e.g. when installed as a dependency or from a tarball).
"use strict";
const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
if (!existsSync(join(root, ".git"))) process.exit(0);
try {
  execFileSync("git", ["config", "core.hooksPath", ".githooks"], { cwd: root, stdio: "ignore" });
} catch {
  // git missing: nothing to install, and nothing to break.
}
