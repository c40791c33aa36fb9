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
import { ApiObject, App, Chart, Lazy as Cdk8sLazy } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { DefaultTokenResolver, Lazy, StringConcat, App as TerraformApp, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { buildCharts } from "../charts/k8s-app";
import { KubeObject, kube } from "../charts/kube-object";
import { yamlText } from "../charts/yaml-text";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { autoDeployCharts } from "../infra/bootstrap/auto-deploy";
import { HomelabStack } from "../infra/homelab-stack";
import { ReadableStack } from "../infra/homelab-stack-base";
import { ProxmoxFile, ProxmoxVm, withoutUndefined } from "../infra/proxmox-resources";
import { resolveTokens } from "../infra/resolve-tokens";
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

/** Renders a kube.* object's props through the binding class it stands in for. */
function renderedByBinding(object: KubeObject): unknown {
  const chart = new Chart(new App(), "binding", { disableResourceNameHashes: true, namespace: Chart.of(object).namespace });
  return new object.binding(chart, object.node.id, object.bindingProps).toJson();
}

describe.each(labs)("the %s", (_, cluster) => {
  const objects = [buildCharts(cluster), ...autoDeployCharts(cluster).values()]
    .flatMap((scope) => scope.node.findAll())
    .filter((c): c is KubeObject => c instanceof KubeObject);

  it("renders every kube.* object exactly as the binding class it stands in for", () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ["Deployment", "Service", "PersistentVolumeClaim", "NetworkPolicy", "HTTPRoute", "Namespace", "DaemonSet", "ClusterRole", "ServiceAccount"]) expect(kinds).toContain(kind);
    for (const object of objects) expect([object.node.path, JSON.stringify(object.toJson())]).toEqual([object.node.path, JSON.stringify(renderedByBinding(object))]);
  });

  it("writes IntOrString and Quantity as plain values", () => {
    const deployment = objects.find((o) => o.kind === "Deployment")!.toJson() as any;
    const container = deployment.spec.template.spec.containers[0];
    expect(typeof container.resources.requests.memory).toBe("string");
    expect(["string", "number"]).toContain(typeof (container.startupProbe.httpGet ?? container.startupProbe.tcpSocket).port);
  });

  // Template VMs exist only when Terraform builds them (template.source: cloud-image), one per node.
  const templateVms = cluster.template.source === "cloud-image" ? new Set(cluster.vms.map((v) => v.node)).size : 0;
  const stackOf = () =>
    new HomelabStack(new TerraformApp({ outdir: terraformOutdir, stackTraces: false }), cluster.name, {
      cluster,
      backend: { root, stackDir: join(root, "dist", "terraform", "stacks", cluster.name) },
    });

  it("synthesizes the stack exactly as cdktf's own toTerraform() does, without its last whole-stack pass", () => {
    const ours = stackOf();
    const cdktfs = TerraformStack.prototype.toTerraform.call(ours);
    expect(JSON.stringify(ours.toTerraform(), null, 1)).toBe(JSON.stringify(cdktfs, null, 1));
    expect(Object.keys(cdktfs.resource.proxmox_virtual_environment_vm)).toHaveLength(cluster.vms.length + templateVms);
    expect(cdktfs.terraform.required_providers.random.version).toBe("= 3.7.2"); // a stack override
  });

  it("gives cdktf the VMs' and snippets' set attributes only, which resolve exactly as the bindings' full maps", () => {
    const stack = stackOf();
    const resources = stack.node.findAll().filter((c): c is ProxmoxVm | ProxmoxFile => c instanceof ProxmoxVm || c instanceof ProxmoxFile);
    expect(resources.length).toBe(cluster.vms.length * 2 + templateVms);
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

describe("a kube.* object with something for cdk8s to resolve", () => {
  const props = (image: unknown): k8s.KubeDeploymentProps => ({
    metadata: { name: "demo", labels: { app: "demo" } },
    spec: { selector: { matchLabels: { app: "demo" } }, template: { spec: { containers: [{ name: "demo", image: image as string, resources: { limits: { memory: k8s.Quantity.fromString("1Gi") } } }] } } },
  });
  const render = (build: (chart: Chart) => ApiObject) => build(new Chart(new App(), "demo", { disableResourceNameHashes: true, namespace: "apps" })).toJson();

  it("renders a Lazy value as cdk8s does", () => {
    const lazy = () => Cdk8sLazy.any({ produce: () => "nginx:1.27" });
    const ours = render((chart) => new kube.Deployment(chart, "d", props(lazy())));
    expect(ours.spec.template.spec.containers[0].image).toBe("nginx:1.27");
    expect(JSON.stringify(ours)).toBe(JSON.stringify(render((chart) => new k8s.KubeDeployment(chart, "d", props(lazy())))));
  });
});

describe("ReadableStack.toTerraform()", () => {
  it("still resolves tokens in stack overrides and nests output ids as cdktf does", () => {
    const stack = new ReadableStack(new TerraformApp({ outdir: terraformOutdir, stackTraces: false }), "tiny");
    const name = new TerraformVariable(stack, "name", { type: "string" });
    new TerraformOutput(new Construct(stack, "group"), "greeting", { value: `hello ${name.stringValue}` });
    stack.addOverride("locals.greeting", `hi ${name.stringValue}`);
    stack.addOverride("terraform.required_version", ">= 1.6");
    const ours = stack.toTerraform();
    expect(ours.locals.greeting).toBe("hi ${var.name}");
    expect(JSON.stringify(ours)).toBe(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack)));
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

describe("resolveTokens", () => {
  const stack = new ReadableStack(new TerraformApp({ outdir: terraformOutdir, stackTraces: false }), "tokens");
  const name = new TerraformVariable(stack, "name", { type: "string" });
  const size = new TerraformVariable(stack, "size", { type: "number" });
  const zones = new TerraformVariable(stack, "zones", { type: "list(string)" });
  const labels = new TerraformVariable(stack, "labels", { type: "map(string)" });
  const resolver = new DefaultTokenResolver(new StringConcat());
  const cdktfs = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver });
  const outcome = (resolve: () => unknown) => {
    try {
      return JSON.stringify(resolve());
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  };
  const values: [string, () => unknown][] = [
    ["plain data, undefined dropped", () => ({ a: 1, b: undefined, c: [undefined, { d: undefined, e: null }, true], f: {}, g: "1e+5 ${literal} a}b", h: Object.create(null) })],
    ["a string token deep down", () => ({ vm: { disks: [{ path: `/mnt/${name.stringValue}/disk`, size: 8 }] } })],
    ["a string token in a key", () => ({ labels: { [`owner-${name.stringValue}`]: "me", plain: "yes" } })],
    ["a number token", () => ({ cores: size.numberValue, memory: [size.numberValue, 2] })],
    ["a number token written into a string", () => ({ note: `cores: ${size.numberValue}` })],
    ["a list token", () => ({ zones: zones.listValue, nested: [{ zones: zones.listValue }] })],
    ["a list token among other items", () => ({ more: ["a", ...zones.listValue] })],
    ["a map token", () => ({ labels: labels.value, merged: Token.asStringMap(labels.value) })],
    ["Lazy values and IResolvables", () => ({ lazy: Lazy.anyValue({ produce: () => ({ nested: name.stringValue, gone: undefined }) }), literal: { resolve: () => "resolved" } })],
    ["a Date", () => ({ when: new Date(0) })],
    ["the map-token placeholder values", () => ({ value: Token.STRING_MAP_TOKEN_VALUE })],
    ["a function", () => ({ deep: { fn: () => 1 } })],
    ["a construct", () => ({ scope: { of: stack } })],
    ["a cycle", () => { const cycle: Record<string, unknown> = { a: 1 }; cycle.self = cycle; return { cycle }; }],
  ];

  it.each(values)("gives what cdktf's resolve gives: %s", (_, build) => {
    const value = build();
    expect(outcome(() => resolveTokens(value, stack, resolver))).toBe(outcome(() => cdktfs(value)));
  });

  it("hands cdktf the token-bearing parts only", () => {
    const plain = { a: [1, { b: "c" }] };
    expect(resolveTokens(plain, stack, resolver)).not.toBe(plain);
    expect(resolveTokens({ s: name.stringValue }, stack, resolver)).toEqual({ s: "${var.name}" });
  });
});

function countUndefined(value: unknown): number {
  if (value === undefined) return 1;
  if (value === null || typeof value !== "object") return 0;
  return Object.values(value).reduce((n: number, v) => n + countUndefined(v), 0);
}
