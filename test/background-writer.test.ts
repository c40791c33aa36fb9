// The output writer: the worker-backed one must write exactly what the direct one writes, report
// the first failure with its path, and let an error elsewhere wait for pending writes.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BackgroundWriter, DirectWriter, backgroundWriteThreshold, outputWriter } from "../scripts/lib/background-writer";
import { readTree } from "../scripts/lib/output-tree";
import { scratch } from "./helpers/tree";

const files = Array.from({ length: 250 }, (_, i) => ({ path: `k8s/app-${i % 60}/part-${i}.yaml`, content: `n: ${i}\n${"x".repeat(i * 37)}` }));

describe("output writers", () => {
  it("picks the worker only for many files", () => {
    expect(outputWriter(backgroundWriteThreshold)).toBeInstanceOf(BackgroundWriter);
    expect(outputWriter(backgroundWriteThreshold - 1)).toBeInstanceOf(DirectWriter);
  });

  it("the worker writes the same tree as direct writes", () => {
    const dir = scratch("writer-same");
    for (const [name, writer] of [["direct", new DirectWriter()], ["background", new BackgroundWriter()]] as const) {
      for (const f of files) writer.write(join(dir, name, f.path), f.content);
      writer.flush();
    }
    const direct = readTree(join(dir, "direct"));
    expect(direct.size).toBe(files.length);
    expect(readTree(join(dir, "background"))).toEqual(direct);
  });

  it("reports the first file it could not write, by path", () => {
    const dir = scratch("writer-fails");
    writeFileSync(join(dir, "blocker"), "a file where a directory should be");
    const writer = new BackgroundWriter();
    writer.write(join(dir, "ok", "a.yaml"), "a");
    writer.write(join(dir, "blocker", "b.yaml"), "b");
    writer.write(join(dir, "ok", "c.yaml"), "c");
    expect(() => writer.flush()).toThrow(`cannot write ${join(dir, "blocker", "b.yaml")}: EEXIST`);
    expect(existsSync(join(dir, "ok", "a.yaml"))).toBe(true);
  });

  it("settle() waits for pending writes and swallows their errors", () => {
    const dir = scratch("writer-settle");
    mkdirSync(join(dir, "x"));
    const writer = new BackgroundWriter();
    for (const f of files) writer.write(join(dir, "x", f.path), f.content);
    writer.write(join(dir, "x", "k8s", "app-1", "part-1.yaml", "under-a-file"), "fails");
    expect(() => writer.settle()).not.toThrow();
    expect(readTree(join(dir, "x")).size).toBe(files.length);
  });

  it("refuses writes after flush", () => {
    const writer = new BackgroundWriter();
    writer.flush();
    expect(() => writer.write("/nowhere", "")).toThrow(/write after flush/);
  });
});
