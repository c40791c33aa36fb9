// End-to-end synth of the reference lab: complete, deterministic, free of machine paths,
// atomic and locked. (That this repository's own dist/ is fresh: test/own-lab.test.ts.)
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SpecError } from "../cluster/problems";
import { synthesize } from "../scripts/lib/synthesize";
import { UsageError } from "../scripts/lib/usage-error";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { readTree, referenceOutput, runSynth, scratch } from "./helpers/tree";

const synthTo = (outDir: string, extra: Partial<Parameters<typeof synthesize>[0]> = {}) => synthesize({ clusterFile: referenceSpec, outDir, root, ...extra });

describe("synth of the reference lab", () => {
  // At the repository root, like dist/: the state path is relative to the stack's directory.
  const out = join(root, ".test-dist-a");
  let tree: Map<string, string>;
  beforeAll(() => {
    synthTo(out);
    tree = readTree(out);
  });
  afterAll(() => {
    for (const dir of [out, join(root, ".test-dist-b")]) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the Terraform stack, the manifests and the inventory", () => {
    expect([...tree.keys()]).toEqual(
      expect.arrayContaining(["terraform/manifest.json", "terraform/stacks/homelab/cdk.tf.json", "k8s/namespaces/manifests.yaml", "ansible/hosts.yaml"]),
    );
  });

  it("is byte-for-byte the same on a second run", () => {
    const again = join(root, ".test-dist-b");
    synthTo(again);
    expect(readTree(again)).toEqual(tree);
  });

  it("contains no absolute path of this machine and no timestamp", () => {
    for (const [file, text] of tree) {
      expect({ file, hasRoot: text.includes(root) }).toEqual({ file, hasRoot: false });
      expect({ file, match: /(^|["'\s])\/(home|root|tmp|work|Users)\//m.exec(text)?.[0] }).toEqual({ file, match: undefined });
      expect({ file, match: /\b20\d\d-\d\d-\d\dT\d\d:\d\d/.exec(text)?.[0] }).toEqual({ file, match: undefined });
    }
  });

  it("keeps Terraform state outside dist/, as a path relative to the stack directory", () => {
    const stack = JSON.parse(tree.get("terraform/stacks/homelab/cdk.tf.json")!);
    expect(stack.terraform.backend.local.path).toBe("../../../../.terraform-state/homelab.tfstate");
  });
});

describe("synth is atomic", () => {
  it("leaves the previous output untouched when synth fails half-way", () => {
    const out = join(scratch("atomic-fail"), "dist");
    synthTo(out);
    const before = readTree(out);
    expect(() =>
      synthTo(out, {
        beforeSwap: (temp) => {
          writeFileSync(join(temp, "terraform", "half-written.json"), "{");
          throw new Error("simulated crash during synth");
        },
      }),
    ).toThrow("simulated crash");
    expect(readTree(out)).toEqual(before);
    expect(readdirSync(join(out, "..")).filter((entry) => entry.startsWith(".dist.tmp-"))).toEqual([]);
  });

  it("leaves the previous output untouched when the spec is invalid", () => {
    const dir = scratch("atomic-spec");
    const out = join(dir, "dist");
    synthTo(out);
    const before = readTree(out);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, overlayReference({ "vms.4.ip": "10.10.10.60" }));
    expect(() => synthesize({ clusterFile: bad, outDir: out, root })).toThrow(SpecError);
    expect(readTree(out)).toEqual(before);
  });

  it("keeps `terraform init` state (.terraform/, .terraform.lock.hcl) across synths", () => {
    const out = join(scratch("tf-workdir"), "dist");
    synthTo(out);
    const stackDir = join(out, "terraform", "stacks", "homelab");
    mkdirSync(join(stackDir, ".terraform", "providers"), { recursive: true });
    writeFileSync(join(stackDir, ".terraform", "providers", "marker"), "x");
    writeFileSync(join(stackDir, ".terraform.lock.hcl"), "# lock\n");
    synthTo(out);
    expect(readFileSync(join(stackDir, ".terraform", "providers", "marker"), "utf8")).toBe("x");
    expect(readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
  });

  it("refuses to run while another synth holds the lock", () => {
    const dir = scratch("locked");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ".dist.lock"), String(process.pid)); // a live process
    expect(() => synthTo(join(dir, "dist"))).toThrow(UsageError);
    expect(existsSync(join(dir, "dist"))).toBe(false);
  });

  it("takes over a lock left by a dead process", () => {
    const dir = scratch("stale-lock");
    writeFileSync(join(dir, ".dist.lock"), "999999999");
    synthTo(join(dir, "dist"));
    expect(existsSync(join(dir, "dist", "terraform", "manifest.json"))).toBe(true);
    expect(existsSync(join(dir, ".dist.lock"))).toBe(false);
  });
});

describe("npm run synth (CLI)", () => {
  it("resolves relative paths against the directory npm was run in (INIT_CWD), as npm runs scripts in the root", () => {
    const dir = scratch("cli-init-cwd");
    writeFileSync(join(dir, "lab.yaml"), readFileSync(referenceSpec, "utf8"));
    const result = runSynth(["--cluster", "lab.yaml", "--out", "out", "--quiet"], { npm_lifecycle_event: "synth", INIT_CWD: dir });
    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(existsSync(join(dir, "out", "terraform", "manifest.json"))).toBe(true);
  });

  it("rejects a spec with a duplicate IP: exit 1, the field named, dist/ unchanged", () => {
    const dir = scratch("cli-bad");
    const out = join(dir, "dist");
    expect(runSynth(["--out", out]).status).toBe(0);
    const before = readTree(out);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, overlayReference({ "vms.4.ip": "10.10.10.60" }));
    const result = runSynth(["--cluster", bad, "--out", out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("vms[4].ip: 10.10.10.60 is already the address of vms[3] (k3s-worker-1). Fix: give every VM its own address");
    expect(result.stderr).toContain("nothing was written");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readTree(out)).toEqual(before);
  });

  it("prints a summary on success: what it wrote, then what changed", () => {
    const out = join(scratch("cli-ok"), "dist");
    const result = runSynth(["--out", out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^synth homelab: 2 stacks, \d+ resources → .*terraform; \d+ charts, \d+ manifests → .*k8s; \d+ files in [\d.]+s\n {2}files: \d+ added, 0 changed, 0 removed\n {2}Argo CD applications: argocd, argocd-apps, /,
    );
    expect(runSynth(["--out", out]).stdout).toMatch(/\n {2}no changes\n$/);
    const changed = join(scratch("cli-changed"), "spec.yaml");
    writeFileSync(changed, overlayReference({ "apps.1.port": 8990 }));
    expect(runSynth(["--cluster", changed, "--out", out]).stdout).toMatch(/\n {2}files: 0 added, \d+ changed, 0 removed\n {2}Argo CD applications: sonarr\n$/);
  });

  it.each([
    [["--out", "/"], /--out \/: synth writes only into a directory inside the repository/],
    [["--out", "cluster"], /--out cluster: cluster\/ holds the project's own files/],
    [["--out", "dist/k8s"], /--out dist\/k8s: it lies inside dist, an output of synth's; choose another --out/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--out", "README.md/dist"], /--out README\.md\/dist: README\.md is a file, not a directory; choose another --out/],
  ])("refuses %j with one line and exit 2", (args, message) => {
    const result = runSynth(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses --out onto an existing file before any work (before even reading the spec)", () => {
    const result = runSynth(["--out", "README.md", "--cluster", "does-not-exist.yaml"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^synth: --out README\.md: README\.md is a file, not a directory; choose another --out/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    ["a missing file", "does-not-exist.yaml", "cannot be read"],
    ["an empty file", "empty.yaml", "is empty"],
    ["a binary file", "binary.yaml", "is a binary file"],
  ])("rejects %s as --cluster with one clear line", (_what, name, message) => {
    const dir = scratch(`cli-file-${name}`);
    writeFileSync(join(dir, "empty.yaml"), "");
    writeFileSync(join(dir, "binary.yaml"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const result = runSynth(["--cluster", join(dir, name), "--out", join(dir, "dist")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(2); // the problem, then "nothing was written"
    expect(existsSync(join(dir, "dist"))).toBe(false);
  });
});

it("writes a terraform.tfvars.example with every variable of each stack", () => {
  const stack = JSON.parse(readFileSync(join(referenceOutput, "terraform", "stacks", "homelab", "cdk.tf.json"), "utf8"));
  const example = readFileSync(join(referenceOutput, "terraform", "stacks", "homelab", "terraform.tfvars.example"), "utf8");
  for (const name of Object.keys(stack.variable)) expect(example).toMatch(new RegExp(`^(# )?${name} = `, "m"));
});

describe("the spare: the output before last, recycled as the next synth's scratch", () => {
  const fresh = (dir: string, spec: string) => {
    synthesize({ clusterFile: spec, outDir: join(dir, "fresh"), root });
    return readTree(join(dir, "fresh"));
  };

  it("is kept beside the output after a synth that replaced one, and never leaks into it", () => {
    const dir = scratch("spare-kept");
    const out = join(dir, "dist");
    synthTo(out);
    expect(existsSync(join(dir, ".dist.spare"))).toBe(false); // nothing was replaced yet
    synthTo(out);
    expect(existsSync(join(dir, ".dist.spare", "k8s", "namespaces", "manifests.yaml"))).toBe(true);
    writeFileSync(join(dir, ".dist.spare", "k8s", "namespaces", "stray.yaml"), "kind: Stray\n");
    mkdirSync(join(dir, ".dist.spare", "k8s", "gone-app"), { recursive: true });
    writeFileSync(join(dir, ".dist.spare", "k8s", "gone-app", "manifests.yaml"), "kind: Gone\n");
    synthTo(out);
    expect(readTree(out)).toEqual(fresh(dir, referenceSpec));
    expect(existsSync(join(out, "k8s", "gone-app"))).toBe(false);
  });

  it("drops what the new spec no longer has: an app removed, a VM removed", () => {
    const dir = scratch("spare-shrink");
    const out = join(dir, "dist");
    const smaller = join(dir, "smaller.yaml");
    writeFileSync(smaller, overlayReference({}, ["apps.4", "vms.6"]));
    synthTo(out);
    synthTo(out); // now a spare of the full lab exists
    const summary = synthesize({ clusterFile: smaller, outDir: out, root });
    const expected = fresh(dir, smaller);
    expect(readTree(out)).toEqual(expected);
    expect(summary.files).toBe(expected.size - 1); // the marker is not counted
    expect([...readTree(join(dir, ".dist.spare")).keys()].length).toBeGreaterThan(expected.size);
  });

  it("rewrites the files whose content changed and leaves the unchanged ones untouched", () => {
    const dir = scratch("spare-unchanged");
    const out = join(dir, "dist");
    const changed = join(dir, "changed.yaml");
    writeFileSync(changed, overlayReference({ "apps.1.port": 8990 }));
    synthTo(out, { clusterFile: changed });
    synthTo(out); // the spare: the output of `changed`
    const spare = (file: string) => join(dir, ".dist.spare", file);
    const longAgo = new Date("2001-01-01T00:00:00Z");
    for (const file of ["ansible/hosts.yaml", "k8s/sonarr/manifests.yaml"]) utimesSync(spare(file), longAgo, longAgo);
    const summary = synthTo(out);
    expect(readTree(out)).toEqual(fresh(dir, referenceSpec));
    expect(statSync(join(out, "ansible", "hosts.yaml")).mtime).toEqual(longAgo);
    expect(statSync(join(out, "k8s", "sonarr", "manifests.yaml")).mtime.getTime()).toBeGreaterThan(longAgo.getTime());
    expect(summary.files).toBe(readTree(out).size - 1); // the marker is not counted
  });

  it("is left alone, not recycled, when anything in it is not what synth put there", () => {
    const dir = scratch("spare-foreign");
    const out = join(dir, "dist");
    synthTo(out);
    synthTo(out);
    writeFileSync(join(dir, ".dist.spare", "k8s", "namespaces", "manifests.yaml"), "kind: Mine\n");
    synthTo(out);
    expect(readTree(out)).toEqual(fresh(dir, referenceSpec));
    expect(readFileSync(join(dir, ".dist.spare", "k8s", "namespaces", "manifests.yaml"), "utf8")).toBe("kind: Mine\n");
  });

  it("gives way when its shape is in the way (a directory where a file goes)", () => {
    const dir = scratch("spare-conflict");
    const out = join(dir, "dist");
    synthTo(out);
    synthTo(out);
    rmSync(join(dir, ".dist.spare", "docs", "README.md"));
    mkdirSync(join(dir, ".dist.spare", "docs", "README.md", "deeper"), { recursive: true });
    synthTo(out);
    expect(readTree(out)).toEqual(fresh(dir, referenceSpec));
  });
});

it("writes every file cdktf's manifest.json names", () => {
  const manifest = JSON.parse(readFileSync(join(referenceOutput, "terraform", "manifest.json"), "utf8"));
  for (const stack of Object.values<Record<string, string>>(manifest.stacks)) {
    for (const key of ["stackMetadataPath", "synthesizedStackPath"])
      expect([key, existsSync(join(referenceOutput, "terraform", stack[key]))]).toEqual([key, true]);
  }
});
