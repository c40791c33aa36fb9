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

// The product's tests run on the reference lab under test/fixtures/reference; only
// test/own-lab.test.ts reads the lab an owner keeps in cluster/ and dist/ (it holds for any lab).
it("no suite but own-lab.test.ts reads this repository's own spec or dist/", () => {
  const ownLab = /join\(root, "(cluster|dist)"(?![^)]*"terraform"\))|root, "README\.md"/;
  const readers = readdirSync(join(root, "test"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !["own-lab.test.ts", "layering.test.ts"].includes(file))
    .filter((file) => ownLab.test(readFileSync(join(root, "test", file), "utf8")));
  expect(readers).toEqual([]);
  expect(ownLab.test('readFileSync(join(root, "cluster", "homelab.yaml"))')).toBe(true);
});

// A renamed lab's stack folders are stacks/<its name>: the README and docs name them `<lab>`,
// except in the README's generated apply steps, which synth writes for the lab at hand.
it("the README and docs never hard-code the reference lab's stack folders", () => {
  const texts = [join(root, "README.md"), ...readdirSync(join(root, "docs")).map((f) => join(root, "docs", f))].map((file) => ({
    file: relative(root, file),
    text: readFileSync(file, "utf8").replace(/<!-- BEGIN generated:([\w-]+) -->[\s\S]*?<!-- END generated:\1 -->/g, ""),
  }));
  expect(texts.filter((t) => /stacks\/homelab|cd \.\.\/homelab\b/.test(t.text)).map((t) => t.file)).toEqual([]);
});
