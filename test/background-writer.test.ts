// The output writer: the worker-backed one must write exactly what the direct one writes, report
// the first failure with its path, and let an error elsewhere wait for pending writes.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { BackgroundWriter, DirectWriter, backgroundWriteThreshold, outputWriter } from "../scripts/lib/background-writer";
import { readTree } from "../scripts/lib/output-tree";
import { yamlDocuments } from "../charts/yaml-text";
import { root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

// YAML 1.1 traps, multi-line and unicode text, nesting: the worker's js-yaml must write them alike.
const documents = (i: number) => [
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, labels: { on: "on", yes: "y", octal: "0777" } }, data: { script: "#!/bin/sh\necho ${HOME}\n", emoji: "✓ ü", empty: "", n: i } },
  { kind: "List", items: [{ a: [1, "2", null, true] }, { b: { c: "off" } }] },
];
const files = Array.from({ length: 250 }, (_, i) => ({ path: `k8s/app-${i % 60}/part-${i}.yaml`, content: `n: ${i}\n${"x".repeat(i * 37)}` }));

describe("output writers", () => {
  it("picks the worker for many files to create, or to rewrite with more than two cores", () => {
    const many = backgroundWriteThreshold;
    const kind = (expectedFiles: number, recycled: boolean, cores: number) => {
      const writer = outputWriter(root, { expectedFiles, recycled }, cores);
      writer.settle();
      return writer.constructor;
    };
    expect(kind(many, false, 2)).toBe(BackgroundWriter);
    expect(kind(many, true, 4)).toBe(BackgroundWriter);
    expect(kind(many, true, 2)).toBe(DirectWriter);
    expect(kind(many - 1, false, 8)).toBe(DirectWriter);
  });

  it("the worker writes the same tree as direct writes", () => {
    const dir = scratch("writer-same");
    for (const [name, writer] of [["direct", new DirectWriter()], ["background", new BackgroundWriter(root)]] as const) {
      for (const [i, f] of files.entries()) {
        writer.write(join(dir, name, f.path), f.content);
        writer.writeYaml(join(dir, name, f.path.replace(/\.yaml$/, ".docs.yaml")), documents(i));
      }
      writer.flush();
    }
    const direct = readTree(join(dir, "direct"));
    expect(direct.size).toBe(files.length * 2);
    expect(direct.get("k8s/app-7/part-7.docs.yaml")).toContain("'on': 'on'");
    expect(readTree(join(dir, "background"))).toEqual(direct);
  });

  it("gives back the same YAML texts as the direct writer, in order, while files are queued around them", () => {
    const dir = scratch("writer-texts");
    const values = files.map((_f, i) => documents(i)[i % 2]);
    const direct = new DirectWriter().yamlTexts(values)();
    const writer = new BackgroundWriter(root);
    writer.write(join(dir, "before.yaml"), "before");
    const first = writer.yamlTexts(values);
    const second = writer.yamlTexts(values.slice(0, 3));
    writer.write(join(dir, "after.yaml"), "after");
    // Taken out of order: the first answer waits while the second is taken.
    expect(second()).toEqual(direct.slice(0, 3));
    expect(first()).toEqual(direct);
    writer.flush();
    expect(readTree(dir)).toEqual(new Map([["after.yaml", "after"], ["before.yaml", "before"]]));
  });

  it("reports a value it cannot write as YAML, and a flush after texts nobody took still answers", () => {
    const writer = new BackgroundWriter(root);
    const unwritable = writer.yamlTexts([{ a: 1n }]);
    writer.yamlTexts([{ a: 1 }]); // never taken
    expect(() => unwritable()).toThrow(/^cannot write YAML: unacceptable kind of an object to dump \[object BigInt\]/);
    expect(() => writer.flush()).not.toThrow();
  });

  it("lists what is below a directory (files and links, not directories) like the direct writer, while writing into it", () => {
    const dir = scratch("writer-files-in");
    for (const f of files.slice(0, 40)) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    mkdirSync(join(dir, "empty", "deeper"), { recursive: true });
    symlinkSync("nowhere", join(dir, "k8s", "dangling"));
    const direct = new DirectWriter().filesIn(dir)();
    expect(direct).toEqual(new Set([...files.slice(0, 40).map((f) => f.path), join("k8s", "dangling")]));
    const writer = new BackgroundWriter(root);
    const listed = writer.filesIn(dir);
    for (const f of files.slice(40)) writer.write(join(dir, "new", f.path), f.content);
    const seen = listed();
    writer.flush();
    // Files written meanwhile may or may not be seen; those that were there before always are.
    expect([...direct].filter((f) => !seen.has(f))).toEqual([]);
    expect([...seen].filter((f) => !direct.has(f) && !f.startsWith(`new${sep}`))).toEqual([]);
    const missing = new BackgroundWriter(root);
    expect(() => missing.filesIn(join(dir, "missing"))()).toThrow(`cannot list ${join(dir, "missing")}: ENOENT`);
    missing.settle();
  });

  it("leaves a file that already holds the content untouched, and rewrites one that differs", () => {
    const longAgo = new Date("2001-01-01T00:00:00Z");
    for (const [name, writer] of [["direct", () => new DirectWriter()], ["background", () => new BackgroundWriter(root)]] as const) {
      const dir = scratch(`writer-unchanged-${name}`);
      const first = writer();
      for (const f of ["same.yaml", "other.yaml"]) first.write(join(dir, "app", f), "kind: Same\n");
      first.writeYaml(join(dir, "app", "docs.yaml"), documents(1));
      first.flush();
      for (const f of ["same.yaml", "other.yaml", "docs.yaml"]) utimesSync(join(dir, "app", f), longAgo, longAgo);
      const second = writer();
      second.write(join(dir, "app", "same.yaml"), "kind: Same\n");
      second.write(join(dir, "app", "other.yaml"), "kind: Other\n");
      second.writeYaml(join(dir, "app", "docs.yaml"), documents(1));
      second.flush();
      expect([name, second.writtenFiles(), readTree(dir)]).toEqual([name, 3, new Map([["app/docs.yaml", yamlDocuments(documents(1))], ["app/other.yaml", "kind: Other\n"], ["app/same.yaml", "kind: Same\n"]])]);
      const touched = ["same.yaml", "other.yaml", "docs.yaml"].filter((f) => statSync(join(dir, "app", f)).mtime.getTime() !== longAgo.getTime());
      expect([name, touched]).toEqual([name, ["other.yaml"]]);
    }
  });

  it("reports the first file it could not write, by path", () => {
    const dir = scratch("writer-fails");
    writeFileSync(join(dir, "blocker"), "a file where a directory should be");
    const writer = new BackgroundWriter(root);
    writer.write(join(dir, "ok", "a.yaml"), "a");
    writer.write(join(dir, "blocker", "b.yaml"), "b");
    writer.write(join(dir, "ok", "c.yaml"), "c");
    expect(() => writer.flush()).toThrow(`cannot write ${join(dir, "blocker", "b.yaml")}: EEXIST`);
    expect(existsSync(join(dir, "ok", "a.yaml"))).toBe(true);
  });

  it("settle() waits for pending writes and swallows their errors", () => {
    const dir = scratch("writer-settle");
    mkdirSync(join(dir, "x"));
    const writer = new BackgroundWriter(root);
    for (const f of files) writer.write(join(dir, "x", f.path), f.content);
    writer.write(join(dir, "x", "k8s", "app-1", "part-1.yaml", "under-a-file"), "fails");
    expect(() => writer.settle()).not.toThrow();
    expect(readTree(join(dir, "x")).size).toBe(files.length);
  });

  it("says so when its worker cannot load js-yaml (no node_modules under that root)", () => {
    const dir = mkdtempSync(join(tmpdir(), "writer-no-yaml-"));
    const writer = new BackgroundWriter(dir);
    const texts = writer.yamlTexts([{ a: 1 }]);
    writer.writeYaml(join(dir, "out", "a.yaml"), [{ a: 1 }]);
    try {
      expect(() => texts()).toThrow(`cannot write YAML: the output writer cannot load js-yaml from ${join(dir, "package.json")}`);
      expect(() => writer.flush()).toThrow(`the output writer cannot load js-yaml from ${join(dir, "package.json")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses writes after flush", () => {
    const writer = new BackgroundWriter(root);
    writer.flush();
    expect(() => writer.write("/nowhere", "")).toThrow(/write after flush/);
    expect(() => writer.yamlTexts([])).toThrow(/after flush/);
  });
});
