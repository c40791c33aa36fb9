// The schemas of the providers that come as prebuilt CDKTF bindings (hashicorp/random for the k3s
// tokens, hashicorp/tls for the sealing key), derived from the jsii assembly of each installed
// package: cdktf generated the package from the provider's real schema, and its .jsii keeps every
// argument with its type and whether it is required, every nested block as a struct, and every
// attribute the resource only exports. No `providers schema -json` output of these providers is
// available offline (shared/DECISIONS.md).
//
// What the assembly cannot say, and so these schemas do not either: which optional arguments are
// also computed (the generator emits both alike), which attributes are sensitive, a block's
// min/max items (the tls provider checks them with validators, which its schema does not show
// either), and whether a struct was a nested block or a nested attribute (cdktf 0.21's generator
// writes both as the same struct; the tls resources here use blocks). `terraform validate`
// needs none of it to check arguments, types and references.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { byCodeUnits } from "./code-unit-order";
import { schemaProviders, type Attribute, type Block, type ProvidersSchema } from "./provider-schema";

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

/** A provider the stacks use through its prebuilt package: which package, and the resources we use (Terraform type → class). */
export interface PrebuiltProvider {
  readonly key: "random" | "tls";
  readonly packageName: string;
  /** The provider class, as the assembly names it below the package. */
  readonly providerClass: string;
  readonly resources: Readonly<Record<string, string>>;
}

export const prebuiltProviders: readonly PrebuiltProvider[] = [
  { key: "random", packageName: "@cdktf/provider-random", providerClass: "provider.RandomProvider", resources: { random_password: "password.Password" } },
  {
    key: "tls",
    packageName: "@cdktf/provider-tls",
    providerClass: "provider.TlsProvider",
    resources: { tls_private_key: "privateKey.PrivateKey", tls_self_signed_cert: "selfSignedCert.SelfSignedCert" },
  },
];

/** cdktf's own arguments of every provider block, no schema attribute. */
const metaArguments: ReadonlySet<string> = new Set(["alias"]);

export function prebuiltSchema(root: string, provider: PrebuiltProvider): ProvidersSchema {
  const assembly = JSON.parse(readFileSync(join(root, "node_modules", ...provider.packageName.split("/"), ".jsii"), "utf8")) as JsiiAssembly;
  const reader = new AssemblyReader(assembly, provider.packageName);
  const source = schemaProviders[provider.key].source;
  return {
    format_version: "1.0",
    provider_schemas: {
      [source]: {
        provider: { version: 0, block: reader.block(`${provider.providerClass}Config`, metaArguments) },
        resource_schemas: Object.fromEntries(
          Object.entries(provider.resources).map(([type, className]) => [type, { version: 0, block: reader.resourceBlock(className) }]),
        ),
        data_source_schemas: {},
      },
    },
    provider_versions: { [source]: reader.providerVersion(provider.providerClass) },
  };
}

class AssemblyReader {
  constructor(
    private readonly assembly: JsiiAssembly,
    private readonly packageName: string,
  ) {}

  private type(name: string) {
    const found = this.assembly.types[`${this.packageName}.${name}`];
    if (!found) throw new Error(`${this.packageName} has no type ${name}`);
    return found;
  }

  /** Arguments from the Config interface, exported attributes from the class's read-only getters. */
  resourceBlock(className: string): Block {
    const config = this.block(`${className}Config`);
    const configNames = new Set((this.type(`${className}Config`).properties ?? []).map((p) => p.name));
    const settable = new Set((this.type(className).properties ?? []).filter((p) => !p.immutable).map((p) => p.name));
    const exported = (this.type(className).properties ?? [])
      .filter((p) => p.immutable && !p.static && !p.name.endsWith("Input") && !configNames.has(p.name) && !settable.has(p.name))
      .map((p): [string, Attribute] => [terraformName(p), { type: this.exportedType(p.type), computed: true }]);
    return { ...config, attributes: sorted<Attribute>([...Object.entries(config.attributes ?? {}), ...exported]) };
  }

  /** A struct (a Config interface or a nested block's): its primitive properties as attributes, its struct lists as blocks. */
  block(structName: string, skip: ReadonlySet<string> = new Set()): Block {
    const attributes: [string, Attribute][] = [];
    const blocks: [string, NonNullable<Block["block_types"]>[string]][] = [];
    for (const p of (this.type(structName).properties ?? []).filter((q) => !skip.has(q.name) && !metaArguments.has(q.name))) {
      const struct = structOf(p.type, this.packageName);
      if (struct) blocks.push([terraformName(p), { nesting_mode: "list", block: this.block(struct.name), ...(struct.single ? { max_items: 1 } : {}) }]);
      else attributes.push([terraformName(p), { type: ctyType(p.type, this.packageName), ...(p.optional ? { optional: true } : { required: true }) }]);
    }
    return { ...(attributes.length ? { attributes: sorted(attributes) } : {}), ...(blocks.length ? { block_types: sorted(blocks) } : {}) };
  }

  /** A computed attribute's type: as an argument's, but a bool getter is typed IResolvable alone (cdktf's getBooleanAttribute). */
  private exportedType(type: JsiiType): unknown {
    return type.fqn === "cdktf.IResolvable" ? "bool" : ctyType(type, this.packageName);
  }

  /** The provider release the bindings were generated from, as their registry links record it. */
  providerVersion(providerClass: string): string {
    const summary = this.type(providerClass).docs?.summary ?? "";
    const version = summary.match(/providers\/[a-z0-9-]+\/[a-z0-9-]+\/(\d+\.\d+\.\d+)\//)?.[1];
    if (!version) throw new Error(`${this.packageName}: cannot read the provider version it was generated from`);
    return version;
  }
}

const sorted = <T>(entries: readonly (readonly [string, T])[]): Record<string, T> => Object.fromEntries([...entries].sort(([a], [b]) => byCodeUnits(a, b)));

/** The Terraform name: the registry anchor the generator writes into each argument's docs, else snake_case. */
function terraformName(property: JsiiProperty): string {
  const anchor = property.docs?.remarks?.match(/#([a-z0-9_]+) \w+#\1\}/)?.[1];
  return anchor ?? property.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A nested block: a struct of the package, a list of them, or either with IResolvable. */
function structOf(type: JsiiType, packageName: string): { name: string; single: boolean } | undefined {
  const ofPackage = (t: JsiiType) => (t.fqn?.startsWith(`${packageName}.`) ? t.fqn.slice(packageName.length + 1) : undefined);
  const candidates = type.union ? type.union.types.filter((t) => t.fqn !== "cdktf.IResolvable") : [type];
  if (candidates.length !== 1) return undefined;
  const [only] = candidates;
  const single = ofPackage(only);
  if (single) return { name: single, single: true };
  const listed = only.collection?.kind === "array" ? ofPackage(only.collection.elementtype) : undefined;
  return listed ? { name: listed, single: false } : undefined;
}

/** jsii types as cty type expressions, the way cdktf's generator maps them back. */
function ctyType(type: JsiiType, packageName: string): unknown {
  if (type.primitive === "string") return "string";
  if (type.primitive === "number") return "number";
  if (type.primitive === "boolean") return "bool";
  // cdktf types every bool argument as boolean | IResolvable.
  if (type.union?.types.some((t) => t.primitive === "boolean") && type.union.types.every((t) => t.primitive === "boolean" || t.fqn === "cdktf.IResolvable"))
    return "bool";
  if (type.collection) return [type.collection.kind === "map" ? "map" : "list", ctyType(type.collection.elementtype, packageName)];
  throw new Error(`${packageName}: no Terraform type for ${JSON.stringify(type)}`);
}
