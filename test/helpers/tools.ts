// The real tools some suites run when they are installed (.ci/run installs them).
import { spawn, spawnSync } from "node:child_process";

/** Whether `tool --version` runs. */
export const onPath = (tool: string) => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0;

/** Runs a command with `input` on stdin; its exit status and stdout and stderr together. */
export function runWithInput(command: string, args: string[], input = ""): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (status) => resolve({ status, output }));
    child.stdin.end(input);
  });
}
