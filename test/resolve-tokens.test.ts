// The stack's own synthesis (a speed shortcut, lib/plain-mode.ts): resolveTokens must give what
// cdktf's resolve gives for tokens of every kind, escapes, cycles and errors, and the stack's
// toTerraform() what cdktf's does, overrides included.
import { DefaultTokenResolver, Lazy, StringConcat, App as TerraformApp, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { ReadableStack } from "../infra/homelab-stack-base";
import { resolveTokens } from "../infra/resolve-tokens";
import { scratch } from "./helpers/tree";

// cdktf's App creates its outdir; nothing is synthesized into it.
const terraformOutdir = scratch("resolve-tokens");

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
    [
      "plain data, undefined dropped",
      () => ({ a: 1, b: undefined, c: [undefined, { d: undefined, e: null }, true], f: {}, g: "1e+5 ${literal} a}b", h: Object.create(null) }),
    ],
    ["a string token deep down", () => ({ vm: { disks: [{ path: `/mnt/${name.stringValue}/disk`, size: 8 }] } })],
    ["a string token in a key", () => ({ labels: { [`owner-${name.stringValue}`]: "me", plain: "yes" } })],
    ["a number token", () => ({ cores: size.numberValue, memory: [size.numberValue, 2] })],
    ["a number token written into a string", () => ({ note: `cores: ${size.numberValue}` })],
    ["a list token", () => ({ zones: zones.listValue, nested: [{ zones: zones.listValue }] })],
    ["a list token among other items", () => ({ more: ["a", ...zones.listValue] })],
    ["a map token", () => ({ labels: labels.value, merged: Token.asStringMap(labels.value) })],
    [
      "Lazy values and IResolvables",
      () => ({ lazy: Lazy.anyValue({ produce: () => ({ nested: name.stringValue, gone: undefined }) }), literal: { resolve: () => "resolved" } }),
    ],
    ["a Date", () => ({ when: new Date(0) })],
    ["the map-token placeholder values", () => ({ value: Token.STRING_MAP_TOKEN_VALUE })],
    ["a function", () => ({ deep: { fn: () => 1 } })],
    ["a construct", () => ({ scope: { of: stack } })],
    [
      "a cycle",
      () => {
        const cycle: Record<string, unknown> = { a: 1 };
        cycle.self = cycle;
        return { cycle };
      },
    ],
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
