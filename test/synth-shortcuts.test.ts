// Four shortcuts around library code, each taken for synth speed (README, "Performance"), must
// render exactly what the library itself renders, byte for byte, on every object of the
// reference lab and the large lab: kube.* objects (charts/kube-object.ts) against the binding
// classes they stand in for (cdk8s-plus-30's Kube*, HttpRoute); ProxmoxVm and ProxmoxFile
// (infra/proxmox-resources.ts) against cdktf's resolution of the generated bindings' full
// attribute maps; the stack's toTerraform() (infra/homelab-stack-base.ts, which resolves through
// resolveTokens) against cdktf's; and resolveTokens (infra/resolve-tokens.ts) against cdktf's
// resolve on tokens of every kind.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DefaultTokenResolver, StringConcat, App as TerraformApp, Tokenization } from "cdktf";
import { yamlText } from "../charts/yaml-text";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { HomelabStack } from "../infra/homelab-stack";
import { ProxmoxFile, ProxmoxVm, withoutUndefined } from "../infra/proxmox-resources";
import { largeLab } from "../scripts/lib/large-lab";
import { referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

// cdktf's App creates its outdir; nothing is synthesized into it.
const terraformOutdir = scratch("synth-shortcuts");

const referenceText = readFileSync(referenceSpec, "utf8");
const labs: [string, Cluster][] = [
  ["reference lab", parseCluster(referenceText, "homelab.yaml")],
  ["large lab", parseCluster(yamlText(largeLab(referenceText)), "large.yaml")],
];

describe.each(labs)("the %s", (_, cluster) => {
  const stackOf = () =>
    new HomelabStack(new TerraformApp({ outdir: terraformOutdir, stackTraces: false }), cluster.name, {
      cluster,
      backend: { root, stackDir: join(root, "dist", "terraform", "stacks", cluster.name) },
    });

  it("gives cdktf the VMs' and snippets' set attributes only, which resolve exactly as the bindings' full maps", () => {
    const stack = stackOf();
    const resources = stack.node.findAll().filter((c): c is ProxmoxVm | ProxmoxFile => c instanceof ProxmoxVm || c instanceof ProxmoxFile);
    expect(resources.length).toBe(cluster.vms.length * 2 + new Set(cluster.vms.map((v) => v.node)).size);
    // As cdktf's stack resolves each element's attributes (cdktf/lib/_tokens.js).
    const resolve = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
    let dropped = 0;
    for (const resource of resources) {
      const ours = (resource as any).synthesizeAttributes();
      const binding = Object.getPrototypeOf(Object.getPrototypeOf(resource)).synthesizeAttributes.call(resource);
      dropped += countUndefined(binding);
      expect(countUndefined(ours)).toBe(0);
      expect(JSON.stringify(resolve(ours))).toBe(JSON.stringify(resolve(binding)));
    }
    expect(dropped).toBeGreaterThan(resources.length * 5);
  });
});

describe("withoutUndefined", () => {
  it("drops undefined fields and items at any depth, and leaves class instances alone", () => {
    class Token {
      constructor(readonly value: unknown) {}
    }
    const token = new Token(undefined);
    expect(withoutUndefined({ a: 1, b: undefined, c: [undefined, { d: undefined, e: null }, token], f: {} })).toEqual({ a: 1, c: [{ e: null }, token], f: {} });
    expect(withoutUndefined({ c: [token] }).c[0]).toBe(token);
  });
});

function countUndefined(value: unknown): number {
  if (value === undefined) return 1;
  if (value === null || typeof value !== "object") return 0;
  return Object.values(value).reduce((n: number, v) => n + countUndefined(v), 0);
}
