// The shell commands the secrets docs tell an operator to run on a live cluster (key rotation,
// the move from app_secrets, a stuck SealedSecret), parsed by sh and linted by shellcheck like the
// scripts we ship, with their <placeholders> filled in. And what the rotation writes on the first
// control plane: the whole sealing_key_manifest (infra/sealing-key.ts), mode 0600, under a name
// k3s skips until it is renamed into place (k3s pkg/deploy/controller.go shouldSkipFile: dotfiles).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers/spec-fixture";
import { onPath, runWithInput as run } from "./helpers/tools";

const shellcheck = onPath("shellcheck");
if (!shellcheck) console.warn("SKIPPED: shellcheck is not installed, so the docs' commands are not linted (apt-get install shellcheck; .ci/run does)");

/** Each ```sh block of a Markdown text, unindented, its <placeholders> made words. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```sh\n([\s\S]*?)^\1```/gm)].map(([, indent, body]) =>
    body
      .split("\n")
      .map((line) => line.slice(indent.length))
      .join("\n")
      .replace(/<[^<>\n]+>/g, "PLACEHOLDER"),
  );
}

const docs = ["docs/secrets.md", "docs/security.md"].map((file) => ({ file, blocks: shellBlocks(readFileSync(join(root, file), "utf8")) }));
const secrets = docs[0].blocks.join("\n");

describe("the secrets docs' shell commands", () => {
  it("parse with sh -n", async () => {
    for (const { file, blocks } of docs) {
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) expect({ file, block, ...(await run("sh", ["-n"], block)) }).toEqual({ file, block, status: 0, output: "" });
    }
  });

  (shellcheck ? it : it.skip)("pass shellcheck", async () => {
    const results = await Promise.all(
      docs.flatMap(({ file, blocks }) => blocks.map(async (block) => ({ file, block, ...(await run("shellcheck", ["--shell=sh", "-"], block)) }))),
    );
    for (const r of results) expect(r).toEqual({ file: r.file, block: r.block, status: 0, output: "" });
    // The check can fail: a quote left open, a variable unquoted.
    expect((await run("sh", ["-n"], shellBlocks("```sh\nkubectl get secret 'x\n```\n")[0])).status).not.toBe(0);
    expect((await run("shellcheck", ["--shell=sh", "-"], shellBlocks("```sh\nkubectl -n $1 get secret\n```\n")[0])).status).not.toBe(0);
  });

  it("hand the first control plane the whole rotation file, mode 0600, renamed into place from a name k3s skips", () => {
    const writes = secrets.split("\n").filter((line) => line.includes("/dev/stdin"));
    expect(writes.length).toBeGreaterThanOrEqual(2); // the rotation and the move from app_secrets
    for (const line of writes)
      expect(line).toMatch(
        /sudo install -m 0600 \/dev\/stdin "\$d\/\.sealing-key\.yaml\.new" && sudo mv "\$d\/\.sealing-key\.yaml\.new" "\$d\/sealing-key\.yaml"/,
      );
    expect(secrets).toMatch(/output -raw sealing_key_manifest \| ssh PLACEHOLDER \\\n/);
    expect(secrets).not.toMatch(/\btee\b/);
  });

  it("wait for conditions, never a fixed time: the cluster's key before the controller restarts, every SealedSecret decrypted after a publish", () => {
    const keyArrived = secrets.indexOf("until kubectl -n sealed-secrets get secret sealed-secrets-key");
    const restart = secrets.indexOf("rollout restart deployment/sealed-secrets");
    expect(keyArrived).toBeGreaterThan(0);
    expect(restart).toBeGreaterThan(keyArrived);
    expect(secrets).toMatch(/rollout restart deployment\/sealed-secrets\nkubectl -n sealed-secrets rollout status deployment\/sealed-secrets --timeout=5m/);
    expect(secrets).toMatch(/kubectl wait sealedsecrets --all --all-namespaces --for=condition=Synced --timeout=/);
    for (const line of secrets.split("\n").filter((l) => /\bsleep\b/.test(l))) expect(line).toMatch(/^until .*; do sleep \d+; done$/);
  });
});
