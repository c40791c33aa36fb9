// The one suite that reads this repository's own lab (cluster/homelab.yaml, dist/, README.md):
// what must hold for whatever lab an owner keeps here. Every other suite tests the product on
// the reference lab's copy under test/fixtures/reference. The same checks run on a scratch
// repository holding each valid fixture as its lab, so they hold for labs that are not ours.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "../cluster/load";
import { outputPaths } from "../scripts/lib/atomic-dir";
import { runCheck } from "../scripts/lib/check/run-check";
import { synthesize } from "../scripts/lib/synthesize";
import { terraformOnPath } from "../scripts/lib/terraform-validate/terraform-run";
import { writeLab } from "./helpers/sealing-key";
import { listFixtures, root, type Fixture } from "./helpers/spec-fixture";
import { readTree, scratch } from "./helpers/tree";

const terraform = terraformOnPath();

/** A repository whose lab is `spec`: its spec, this README, and dist/ as synth writes it there. */
function labRepository(name: string, fixture: Fixture): string {
  const repo = scratch(`own-lab-${name}`);
  mkdirSync(join(repo, "cluster"));
  writeLab(join(repo, "cluster"), "homelab.yaml", fixture);
  copyFileSync(join(root, "README.md"), join(repo, "README.md"));
  synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: join(repo, "dist"), root: repo });
  return repo;
}

const ownRepository = () => root;
const labs: [string, () => string][] = [
  ["this repository", ownRepository],
  ...listFixtures("valid").map((f): [string, () => string] => [`fixture ${f.name}`, () => labRepository(f.name, f)]),
];

describe.each(labs)("the lab of %s", (_name, repository) => {
  let repo: string;
  beforeAll(() => {
    repo = repository();
  });

  it("has the dist/ synth makes of its spec (run `npm run synth` and commit if this fails)", () => {
    // Beside dist/, as deep: the state path in the stacks is relative to where they are.
    const fresh = join(repo, `.test-dist-own-lab-${process.pid}`);
    try {
      synthesize({ clusterFile: join(repo, "cluster", "homelab.yaml"), outDir: fresh, root: repo });
      expect(readTree(join(repo, "dist"))).toEqual(readTree(fresh));
    } finally {
      for (const dir of [fresh, outputPaths(fresh).spare]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has the README tables of its dist/docs (run `npm run synth` if this fails)", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const docs = readFileSync(join(repo, "dist", "docs", "README.md"), "utf8");
    const sections = [...readme.matchAll(/<!-- BEGIN generated:([\w-]+) -->\n([\s\S]*?)\n<!-- END generated:\1 -->/g)];
    expect(sections.map((m) => m[1])).toEqual(expect.arrayContaining(["inventory", "apply", "terraform-inputs"]));
    for (const [, name, body] of sections) expect({ name, inDocs: docs.includes(body) }).toEqual({ name, inDocs: true });
  });

  // For this repository: `npm test`'s run of `npm run check` on the owner's dist/.
  it("passes npm run check (no finding; placeholders are --strict's)", async () => {
    const { cluster } = loadSpec(join(repo, "cluster", "homelab.yaml"));
    const report = await runCheck(cluster, join(repo, "dist"), root, { terraform });
    expect(report.findings).toEqual([]);
  });

  it("has README apply steps that cd into this lab's stack folders (and back to the repository, to seal)", () => {
    const apply = /<!-- BEGIN generated:apply -->\n([\s\S]*?)<!-- END generated:apply -->/.exec(readFileSync(join(repo, "README.md"), "utf8"))![1];
    let cwd = repo;
    const folders = [...apply.matchAll(/^cd (\S+)/gm)].map((m) => (cwd = join(cwd, m[1])));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) expect({ folder, exists: folder === repo || existsSync(join(folder, "cdk.tf.json")) }).toEqual({ folder, exists: true });
    expect(folders.filter((folder) => folder !== repo).length).toBeGreaterThan(0);
  });
});
