// Writes synth's output files, on the main thread (DirectWriter) or on a worker thread while the
// main thread goes on rendering (BackgroundWriter; outputWriter() says when that pays). The worker
// also turns the rendered Kubernetes objects into YAML (cloning them is ~10× cheaper than dumping
// them). Either leaves a file that already holds its content untouched. The API stays
// synchronous: flush() blocks (Atomics.wait) until the worker has written everything, or throws
// its error.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import * as v8 from "node:v8";
import type { MessagePort, Worker } from "node:worker_threads";
import type { YamlOutput } from "../../charts/k8s-app";
import { documentSeparator, yamlDocuments, yamlDumpOptions, yamlText } from "../../charts/yaml-text";
import { listFiles } from "./output-tree";

export interface OutputWriter extends YamlOutput {
  /** Queues a file; its directory is created as needed. */
  write(path: string, content: string): void;
  /** Returns once every file is written; throws the first write error. */
  flush(): void;
  /** Waits for pending writes after an error elsewhere, ignoring their own errors. */
  settle(): void;
  /** Whether this path was written (or queued). */
  wrote(path: string): boolean;
  /** How many distinct paths were written (or queued). */
  writtenFiles(): number;
  /**
   * Turns values into YAML texts, on the writer's thread if it has one, while the caller goes on;
   * the returned function waits for them (in order).
   */
  yamlTexts(values: readonly unknown[]): () => string[];
  /**
   * Lists what is below dir (anything but directories, as paths relative to it), on the writer's
   * thread if it has one, while the caller goes on; the returned function waits for the list.
   */
  filesIn(dir: string): () => ReadonlySet<string>;
}

/** Starting the worker costs ~25 ms; with files at ~0.5–1 ms each it pays off from about here. */
export const backgroundWriteThreshold = 100;

export interface WriterNeeds {
  /** Files the synth will write. */
  readonly expectedFiles: number;
  /** Whether it writes over a recycled output (recycled-tree.ts), whose files mostly stay as they are. */
  readonly recycled: boolean;
}

/**
 * A worker-backed writer for many files, else a direct one (always while a startup snapshot is
 * being built: no threads there). The worker pays for itself in two cases: files to create (an
 * empty output; 0.3–0.6 ms each here, done on libuv's pool while rendering goes on), and a core
 * of its own for its YAML dumping. Over a recycled output on two cores, where the main thread,
 * V8's GC helpers and the worker share both, it measured the same wall time for ~20 % more CPU,
 * and 5 % slower with a busy neighbour (README, "Performance").
 */
export function outputWriter(root: string, needs: WriterNeeds, cores = availableParallelism()): OutputWriter {
  const worthIt = needs.expectedFiles >= backgroundWriteThreshold && (!needs.recycled || cores > 2);
  return worthIt && !v8.startupSnapshot.isBuildingSnapshot() ? new BackgroundWriter(root) : new DirectWriter();
}

export class DirectWriter implements OutputWriter {
  private readonly written = new Set<string>();

  write(path: string, content: string): void {
    this.written.add(path);
    if (holds(path, content)) return;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  wrote(path: string): boolean {
    return this.written.has(path);
  }
  writtenFiles(): number {
    return this.written.size;
  }
  writeYaml(path: string, documents: readonly unknown[]): void {
    this.write(path, yamlDocuments(documents));
  }
  yamlTexts(values: readonly unknown[]): () => string[] {
    const texts = values.map(yamlText);
    return () => texts;
  }
  filesIn(dir: string): () => ReadonlySet<string> {
    const files = new Set(listFiles(dir, (entry) => !entry.isDirectory()));
    return () => files;
  }
  flush(): void {}
  settle(): void {}
}

/**
 * Whether the file already holds exactly this content. Synth writes into the recycled output of
 * the synth before last (recycled-tree.ts), where most files are usually unchanged: reading and
 * comparing one costs a tenth of overwriting it here (~0.02 ms against ~0.2 ms), so unchanged
 * files are left as they are. Anything unreadable (missing, a directory) is simply written.
 */
function holds(path: string, content: string): boolean {
  try {
    return readFileSync(path, "utf8") === content;
  } catch {
    return false;
  }
}

/**
 * Runs on the worker: Node built-ins, and js-yaml from the project's node_modules (the startup
 * snapshot's bundled copy is not reachable from a thread). Signals [started, done, questions
 * answered] through shared memory.
 */
const workerSource = `
const { workerData } = require("node:worker_threads");
const { mkdir, readdir, writeFile } = require("node:fs/promises");
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join, relative } = require("node:path");
const { port, signal, packageJson, yamlOptions, separator } = workerData;
let failure;
// Loaded now, while the main thread is still parsing the spec and rendering the first chart.
let yaml;
try {
  yaml = createRequire(packageJson)("js-yaml");
} catch (error) {
  failure = { message: "the output writer cannot load js-yaml from " + packageJson + ": " + error.message };
}
// From here on every message is answered: the handler below catches everything.
Atomics.store(signal, 0, 1);
// File system calls run on libuv's thread pool, several at once, while this thread dumps YAML.
const dirs = new Map();
const pending = [];
const fail = (path) => (error) => { failure ??= { path, message: error.message, code: error.code }; };
// An unchanged file is not rewritten (holds() below, which this eval'd code cannot import).
const holds = (path, content) => {
  try {
    return readFileSync(path, "utf8") === content;
  } catch {
    return false;
  }
};
port.on("message", (message) => {
  if (message.question) {
    // Always answered, whatever happens: the main thread is (or will be) waiting for it.
    const answer = (reply) => {
      port.postMessage({ answer: message.question, ...reply });
      Atomics.add(signal, 2, 1);
      Atomics.notify(signal, 2);
    };
    const failed = (error) => answer({ error: error.message });
    try {
      if (message.yamlTexts) {
        if (!yaml) throw new Error(failure.message);
        answer({ value: message.yamlTexts.map((v) => yaml.dump(v, yamlOptions)) });
      } else {
        // Runs while the writes queued after it proceed: files they create may be listed too,
        // and the caller knows those as its own.
        const dir = message.filesIn;
        readdir(dir, { recursive: true, withFileTypes: true })
          .then((entries) => answer({ value: entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name))) }))
          .catch(failed);
      }
    } catch (error) {
      failed(error);
    }
    return;
  }
  if (message.flush) {
    Promise.allSettled(pending).then(() => {
      port.postMessage({ flushed: true, failure });
      Atomics.store(signal, 1, 1);
      Atomics.notify(signal, 1);
      port.close();
    });
    return;
  }
  if (failure) return;
  try {
    const content = message.documents ? message.documents.map((d) => yaml.dump(d, yamlOptions)).join(separator) : message.content;
    if (holds(message.path, content)) return;
    const dir = dirname(message.path);
    if (!dirs.has(dir)) dirs.set(dir, mkdir(dir, { recursive: true }));
    pending.push(dirs.get(dir).then(() => writeFile(message.path, content)).catch(fail(message.path)));
  } catch (error) {
    fail(message.path)(error);
  }
});
`;

/** The worker's answer to a question, by the question's number. */
interface Answer {
  readonly answer: number;
  readonly value?: unknown;
  readonly error?: string;
}

const started = 0;
const done = 1;
const questionsAnswered = 2;
/** A worker that has not started by then (it always does, in ~30 ms) is given up. */
const startTimeoutMs = 10_000;

export class BackgroundWriter implements OutputWriter {
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly receive: (port: MessagePort) => { message: unknown } | undefined;
  private readonly written = new Set<string>();
  private flushed = false;
  private startFailed = false;
  private questions = 0;
  /** Answers received while waiting for another. */
  private readonly answers = new Map<number, Answer>();

  /** @param root the repository, whose node_modules has js-yaml */
  constructor(root: string) {
    // Loaded at run time: a worker_threads module initialized while a snapshot is built is broken after it.
    const threads = require("node:worker_threads") as typeof import("node:worker_threads");
    const { port1, port2 } = new threads.MessageChannel();
    this.port = port1;
    this.receive = threads.receiveMessageOnPort;
    this.worker = new threads.Worker(workerSource, { eval: true, workerData: { port: port2, signal: this.signal, packageJson: join(root, "package.json"), yamlOptions: yamlDumpOptions, separator: documentSeparator }, transferList: [port2] });
    // The worker ends itself after flush; it must never keep the process alive on its own.
    this.worker.unref();
  }

  write(path: string, content: string): void {
    this.queue({ path, content });
  }

  writeYaml(path: string, documents: readonly unknown[]): void {
    this.queue({ path, documents });
  }

  yamlTexts(values: readonly unknown[]): () => string[] {
    const answer = this.ask({ yamlTexts: values });
    return () => {
      const { value, error } = answer();
      if (error !== undefined) throw new Error(`cannot write YAML: ${error}`);
      return value as string[];
    };
  }

  filesIn(dir: string): () => ReadonlySet<string> {
    const answer = this.ask({ filesIn: dir });
    return () => {
      const { value, error } = answer();
      if (error !== undefined) throw new Error(`cannot list ${dir}: ${error}`);
      return new Set(value as string[]);
    };
  }

  /** Posts a question to the worker; the returned function waits for its answer. */
  private ask(question: { yamlTexts: readonly unknown[] } | { filesIn: string }): () => Answer {
    if (this.flushed) throw new Error("internal: question to the output writer after flush");
    const id = ++this.questions;
    this.port.postMessage({ question: id, ...question });
    return () => this.answerTo(id);
  }

  private answerTo(id: number): Answer {
    this.mustHaveStarted();
    while (!this.answers.has(id)) {
      const seen = Atomics.load(this.signal, questionsAnswered);
      const reply = this.receive(this.port)?.message as Answer | undefined;
      if (reply) this.answers.set(reply.answer, reply);
      else Atomics.wait(this.signal, questionsAnswered, seen);
    }
    const answer = this.answers.get(id)!;
    this.answers.delete(id);
    return answer;
  }

  private queue(file: { path: string; content: string } | { path: string; documents: readonly unknown[] }): void {
    if (this.flushed) throw new Error(`internal: write after flush (${file.path})`);
    this.written.add(file.path);
    // Posted, not kept: rendered objects die young instead of surviving until flush.
    this.port.postMessage(file);
  }

  flush(): void {
    if (this.flushed) return;
    this.flushed = true;
    this.port.postMessage({ flush: true });
    this.mustHaveStarted();
    // Once started, the worker always answers: its handler catches every error.
    Atomics.wait(this.signal, done, 0);
    let reply: { flushed?: true; failure?: { path?: string; message: string; code?: string } } | undefined;
    // Answers nobody took (an error came first) are still queued before the flush's answer.
    do reply = this.receive(this.port)?.message as typeof reply;
    while (reply && !reply.flushed);
    this.port.close();
    const failure = reply?.failure;
    if (failure) throw Object.assign(new Error(failure.path ? `cannot write ${failure.path}: ${failure.message}` : failure.message), { code: failure.code });
  }

  wrote(path: string): boolean {
    return this.written.has(path);
  }
  writtenFiles(): number {
    return this.written.size;
  }

  settle(): void {
    try {
      this.flush();
    } catch {
      // the error being handled is the one to report
    }
  }

  private mustHaveStarted(): void {
    if (!this.startFailed && this.waitForStart()) return;
    if (!this.startFailed) {
      this.startFailed = true;
      this.port.close();
      void this.worker.terminate();
    }
    throw new Error(`internal: the output writer thread did not start within ${startTimeoutMs / 1000} s`);
  }

  private waitForStart(): boolean {
    for (let waited = 0; Atomics.load(this.signal, started) === 0; waited += 50) {
      if (waited >= startTimeoutMs) return false;
      Atomics.wait(this.signal, started, 0, 50);
    }
    return true;
  }
}
