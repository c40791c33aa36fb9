// The layers import downwards only: cluster/ (the spec and its contract) imports neither half;
// charts/ (Kubernetes) never imports infra/ (Proxmox); neither imports the commands in scripts/.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./helpers/spec-fixture";

function importsOf(folder: string): { file: string; target: string }[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => {
      const path = join(root, folder, file);
      return [...readFileSync(path, "utf8").matchAll(/from "(\.[^"]+)"/g)].map((m) => ({
        file: relative(root, path),
        target: relative(root, join(path, "..", m[1])),
      }));
    });
}

it.each([
  ["cluster", ["charts", "infra", "scripts", "lib"]],
  ["charts", ["infra", "scripts"]],
  ["infra", ["scripts"]],
])("%s/ imports nothing from %j", (folder, forbidden) => {
  const imports = importsOf(folder);
  expect(imports.some((i) => i.target.startsWith("cluster/") || i.target.startsWith("imports/"))).toBe(true);
  const wrong = imports.filter((i) => forbidden.some((f) => i.target === f || i.target.startsWith(`${f}/`)));
  expect(wrong).toEqual([]);
});
