// The hashicorp/random schema of the one type the stacks use (random_password), derived from the
// jsii assembly of the installed @cdktf/provider-random: cdktf generated that package from the
// provider's real schema, and its .jsii keeps every argument with its type and whether it is
// required, plus every attribute the resource only exports. No `providers schema -json` output
// of random is available offline (shared/DECISIONS.md, issue 10).
//
// What the assembly cannot say, and so this schema does not either: which optional arguments
// are also computed (the generator emits both alike) and which attributes are sensitive
// (result and bcrypt_hash upstream). `terraform validate` needs neither to check arguments.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Password } from "@cdktf/provider-random/lib/password";
import { byCodeUnits } from "./code-unit-order";
import type { Attribute, ProvidersSchema } from "./provider-schema";

export const randomSource = "registry.terraform.io/hashicorp/random";

interface JsiiType {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly union?: { readonly types: readonly JsiiType[] };
  readonly collection?: { readonly kind: "map" | "array"; readonly elementtype: JsiiType };
}
interface JsiiProperty {
  readonly name: string;
  readonly type: JsiiType;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly immutable?: boolean;
  readonly docs?: { readonly remarks?: string };
}
interface JsiiAssembly {
  readonly types: Record<string, { readonly properties?: readonly JsiiProperty[]; readonly docs?: { readonly summary?: string } }>;
}

/** The package's assembly; its runtime class names the Terraform type. */
const assemblyPath = (root: string) => join(root, "node_modules", "@cdktf", "provider-random", ".jsii");

export function randomSchema(root: string): ProvidersSchema {
  const assembly = JSON.parse(readFileSync(assemblyPath(root), "utf8")) as JsiiAssembly;
  const version = providerVersion(assembly);
  return {
    format_version: "1.0",
    provider_schemas: {
      [randomSource]: {
        provider: { version: 0, block: {} },
        resource_schemas: { [Password.tfResourceType]: { version: 0, block: { attributes: resourceAttributes(assembly, "password.Password") } } },
        data_source_schemas: {},
      },
    },
    provider_versions: { [randomSource]: version },
  };
}

/** Arguments from the Config interface, exported attributes from the class's read-only getters. */
function resourceAttributes(assembly: JsiiAssembly, className: string): Record<string, Attribute> {
  const type = (name: string) => {
    const found = assembly.types[`@cdktf/provider-random.${name}`];
    if (!found) throw new Error(`@cdktf/provider-random has no type ${name}`);
    return found;
  };
  const config = (type(`${className}Config`).properties ?? []).map(
    (p) => [terraformName(p), { type: ctyType(p.type), ...(p.optional ? { optional: true } : { required: true }) }] as const,
  );
  const configNames = new Set((type(`${className}Config`).properties ?? []).map((p) => p.name));
  const settable = new Set((type(className).properties ?? []).filter((p) => !p.immutable).map((p) => p.name));
  const exported = (type(className).properties ?? [])
    .filter((p) => p.immutable && !p.static && !p.name.endsWith("Input") && !configNames.has(p.name) && !settable.has(p.name))
    .map((p) => [terraformName(p), { type: ctyType(p.type), computed: true }] as const);
  return Object.fromEntries([...config, ...exported].sort(([a], [b]) => byCodeUnits(a, b)));
}

/** The Terraform name: the registry anchor the generator writes into each argument's docs, else snake_case. */
function terraformName(property: JsiiProperty): string {
  const anchor = property.docs?.remarks?.match(/#([a-z0-9_]+) \w+#\1\}/)?.[1];
  return anchor ?? property.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** jsii types as cty type expressions, the way cdktf's generator maps them back. */
function ctyType(type: JsiiType): unknown {
  if (type.primitive === "string") return "string";
  if (type.primitive === "number") return "number";
  if (type.primitive === "boolean") return "bool";
  // cdktf types every bool argument as boolean | IResolvable.
  if (type.union?.types.some((t) => t.primitive === "boolean") && type.union.types.every((t) => t.primitive === "boolean" || t.fqn === "cdktf.IResolvable"))
    return "bool";
  if (type.collection) return [type.collection.kind === "map" ? "map" : "list", ctyType(type.collection.elementtype)];
  throw new Error(`@cdktf/provider-random: no Terraform type for ${JSON.stringify(type)}`);
}

/** The provider release the bindings were generated from, as their registry links record it. */
function providerVersion(assembly: JsiiAssembly): string {
  const summary = assembly.types["@cdktf/provider-random.provider.RandomProvider"]?.docs?.summary ?? "";
  const version = summary.match(/hashicorp\/random\/(\d+\.\d+\.\d+)\//)?.[1];
  if (!version) throw new Error("@cdktf/provider-random: cannot read the provider version it was generated from");
  return version;
}
