// Three shortcuts around library code, each taken for synth speed (README, "Performance"), must
// render exactly what the library itself renders, byte for byte, on every object of the
// reference lab and the large lab: kube.* objects (charts/kube-object.ts) against the
// cdk8s-plus-30 Kube* classes; ProxmoxVm and ProxmoxFile (infra/proxmox-resources.ts) against
// cdktf's resolution of the generated bindings' full attribute maps; and the stack's
// toTerraform() (infra/homelab-stack-base.ts) against cdktf's own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Chart } from "cdk8s";
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";
import { DefaultTokenResolver, StringConcat, App as TerraformApp, TerraformOutput, TerraformStack, TerraformVariable, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { buildCharts } from "../charts/k8s-app";
import { KubeObject } from "../charts/kube-object";
import { yamlText } from "../charts/yaml-text";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { autoDeployCharts } from "../infra/bootstrap/auto-deploy";
import { HomelabStack } from "../infra/homelab-stack";
import { ReadableStack } from "../infra/homelab-stack-base";
import { ProxmoxFile, ProxmoxVm, withoutUndefined } from "../infra/proxmox-resources";
import { largeLab } from "../scripts/lib/large-lab";
import { referenceSpec, root } from "./helpers/spec-fixture";

const referenceText = readFileSync(referenceSpec, "utf8");
const labs: [string, Cluster][] = [
  ["reference lab", parseCluster(referenceText, "homelab.yaml")],
  ["large lab", parseCluster(yamlText(largeLab(referenceText)), "large.yaml")],
];

/** Renders a kube.* object's props through the cdk8s-plus-30 binding class of its kind. */
function renderedByBinding(object: KubeObject): unknown {
  const binding = (k8s as Record<string, any>)[`Kube${object.kind}`];
  if (!binding) throw new Error(`no binding class Kube${object.kind}`);
  const chart = new Chart(new App(), "binding", { disableResourceNameHashes: true, namespace: Chart.of(object).namespace });
  return new binding(chart, object.node.id, object.kubeProps).toJson();
}

describe.each(labs)("the %s", (_, cluster) => {
  const objects = [buildCharts(cluster), ...autoDeployCharts(cluster).values()]
    .flatMap((scope) => scope.node.findAll())
    .filter((c): c is KubeObject => c instanceof KubeObject);

  it("renders every built-in object exactly as its cdk8s-plus-30 binding class does", () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ["Deployment", "Service", "PersistentVolumeClaim", "NetworkPolicy", "Namespace", "DaemonSet", "ClusterRole", "ServiceAccount"]) expect(kinds).toContain(kind);
    for (const object of objects) expect([object.node.path, JSON.stringify(object.toJson())]).toEqual([object.node.path, JSON.stringify(renderedByBinding(object))]);
  });

  it("writes IntOrString and Quantity as plain values", () => {
    const deployment = objects.find((o) => o.kind === "Deployment")!.toJson() as any;
    const container = deployment.spec.template.spec.containers[0];
    expect(typeof container.resources.requests.memory).toBe("string");
    expect(["string", "number"]).toContain(typeof (container.startupProbe.httpGet ?? container.startupProbe.tcpSocket).port);
  });

  const stackOf = () =>
    new HomelabStack(new TerraformApp({ outdir: join(root, ".bench", "unused"), stackTraces: false }), cluster.name, {
      cluster,
      backend: { root, stackDir: join(root, "dist", "terraform", "stacks", cluster.name) },
    });

  it("synthesizes the stack exactly as cdktf's own toTerraform() does, without its last whole-stack pass", () => {
    const ours = stackOf();
    const cdktfs = TerraformStack.prototype.toTerraform.call(ours);
    expect(JSON.stringify(ours.toTerraform(), null, 1)).toBe(JSON.stringify(cdktfs, null, 1));
    expect(Object.keys(cdktfs.resource.proxmox_virtual_environment_vm)).toHaveLength(cluster.vms.length + new Set(cluster.vms.map((v) => v.node)).size);
    expect(cdktfs.terraform.required_providers.random.version).toBe("= 3.7.2"); // a stack override
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

describe("ReadableStack.toTerraform()", () => {
  it("still resolves tokens in stack overrides and nests output ids as cdktf does", () => {
    const stack = new ReadableStack(new TerraformApp({ outdir: join(root, ".bench", "unused"), stackTraces: false }), "tiny");
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

function countUndefined(value: unknown): number {
  if (value === undefined) return 1;
  if (value === null || typeof value !== "object") return 0;
  return Object.values(value).reduce((n: number, v) => n + countUndefined(v), 0);
}
