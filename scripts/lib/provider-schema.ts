// The bpg/proxmox provider as this project imports it: the pin (cdktf.json, as `cdktf get`
// reads it), the resource and data-source types the stacks use, and the types-only subset of
// the real `terraform providers schema -json` output that imports/bpg-proxmox.schema.json holds.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** `terraform providers schema -json`, as far as we read it. */
export interface ProvidersSchema {
  readonly format_version: string;
  readonly provider_schemas: Record<string, ProviderSchema>;
  /** Not in Terraform's output: cdktf's readSchema adds it, and the generator records it. */
  readonly provider_versions?: Record<string, string>;
}
export interface ProviderSchema {
  readonly provider: Schema;
  readonly resource_schemas?: Record<string, Schema>;
  readonly data_source_schemas?: Record<string, Schema>;
}
export interface Schema {
  readonly version: number;
  readonly block: Block;
}
export interface Block {
  readonly attributes?: Record<string, Attribute>;
  readonly block_types?: Record<string, NestedBlock>;
  readonly deprecated?: boolean;
}
export interface Attribute {
  /** A cty type expression: "string", ["list", "string"], ["object", {…}]… */
  readonly type?: unknown;
  readonly nested_type?: NestedType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  readonly write_only?: boolean;
}
export interface NestedType {
  readonly attributes: Record<string, Attribute>;
  readonly nesting_mode: "single" | "list" | "set" | "map";
  readonly min_items?: number;
  readonly max_items?: number;
}
export interface NestedBlock {
  readonly nesting_mode: "single" | "list" | "set" | "map" | "group";
  readonly block: Block;
  readonly min_items?: number;
  readonly max_items?: number;
}

/** Each provider the stacks require: its address, registry source and the schema file npm run import writes into imports/. */
export const schemaProviders = {
  proxmox: { address: "bpg/proxmox", source: "registry.terraform.io/bpg/proxmox", file: "bpg-proxmox.schema.json" },
  random: { address: "hashicorp/random", source: "registry.terraform.io/hashicorp/random", file: "hashicorp-random.schema.json" },
  tls: { address: "hashicorp/tls", source: "registry.terraform.io/hashicorp/tls", file: "hashicorp-tls.schema.json" },
} as const;

export const proxmoxSource = schemaProviders.proxmox.source;

/**
 * What the stacks use. Short `proxmox_*` names where v0.111.1 has them (the long
 * `proxmox_virtual_environment_*` aliases are deprecated there); the SDK resources below have no
 * short name yet. proxmox_vm is NOT the short name of proxmox_virtual_environment_vm: it is the
 * experimental framework VM (docs/resources/vm.md at v0.111.1), so the VM keeps its long name.
 */
export const proxmoxTypes = {
  resources: [
    "proxmox_acl",
    "proxmox_backup_job",
    "proxmox_download_file",
    "proxmox_hardware_mapping_dir",
    "proxmox_hardware_mapping_pci",
    "proxmox_storage_directory",
    "proxmox_storage_zfspool",
    "proxmox_user_token",
    "proxmox_virtual_environment_file",
    "proxmox_virtual_environment_pool",
    "proxmox_virtual_environment_role",
    "proxmox_virtual_environment_user",
    "proxmox_virtual_environment_vm",
  ],
  /** The data source proxmox_vm replaces the deprecated proxmox_virtual_environment_vm. */
  dataSources: ["proxmox_version", "proxmox_vm"],
} as const;

/** A provider's exact pin in cdktf.json's terraformProviders ("hashicorp/tls@= 4.1.0"), as `cdktf get` reads it. */
export function providerPin(root: string, address: string): { readonly constraint: string; readonly version: string } {
  const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { terraformProviders: string[] };
  const constraint = cdktf.terraformProviders.find((p) => p.startsWith(`${address}@`));
  const version = constraint?.match(/@= ?(\d+\.\d+\.\d+)$/)?.[1];
  if (!constraint || !version) throw new Error(`cdktf.json: terraformProviders needs an exact pin such as "${address}@= 1.2.3"`);
  return { constraint, version };
}

/** The bpg/proxmox constraint `cdktf get` reads from cdktf.json. */
export function proxmoxConstraint(root: string): { readonly constraint: string; readonly version: string } {
  return providerPin(root, schemaProviders.proxmox.address);
}

/** The real schema of a release: `terraform providers schema -json` output, in the reference pack. */
export function realSchemaPath(root: string, version: string): string {
  return process.env.HOMELAB_PROVIDER_SCHEMA ?? join(root, "..", "shared", "reference", "bpg-proxmox", `provider-schema-${version}.json`);
}

/**
 * The types-only subset of a real schema: the provider block and the types we use, with every
 * description removed and nothing else changed. Fails naming a type the release does not have.
 */
export function typesOnlySchema(real: ProvidersSchema, version: string): ProvidersSchema {
  const provider = real.provider_schemas[proxmoxSource];
  if (!provider) throw new Error(`the schema has no provider ${proxmoxSource}`);
  const pick = (kind: string, all: Record<string, Schema> | undefined, names: readonly string[]) =>
    Object.fromEntries(
      names.map((name) => {
        const schema = all?.[name];
        if (!schema) throw new Error(`bpg/proxmox ${version} has no ${kind} ${name}`);
        if (schema.block.deprecated) throw new Error(`bpg/proxmox ${version} deprecates the ${kind} ${name}; use its replacement`);
        return [name, withoutDescriptions(schema)];
      }),
    );
  return {
    format_version: real.format_version,
    provider_schemas: {
      [proxmoxSource]: {
        provider: withoutDescriptions(provider.provider),
        resource_schemas: pick("resource", provider.resource_schemas, proxmoxTypes.resources),
        data_source_schemas: pick("data source", provider.data_source_schemas, proxmoxTypes.dataSources),
      },
    },
    provider_versions: { [proxmoxSource]: version },
  };
}

/** A schema without its descriptions (block, attribute and nested-type level), nothing else changed. */
function withoutDescriptions(schema: Schema): Schema {
  return { ...schema, block: block(schema.block) };
}

function block(value: Block): Block {
  const { description: _d, description_kind: _k, ...rest } = value as Block & Described;
  return {
    ...rest,
    ...(value.attributes ? { attributes: mapValues(value.attributes, attribute) } : {}),
    ...(value.block_types ? { block_types: mapValues(value.block_types, (nested) => ({ ...nested, block: block(nested.block) })) } : {}),
  };
}

function attribute(value: Attribute): Attribute {
  const { description: _d, description_kind: _k, ...rest } = value as Attribute & Described;
  return value.nested_type ? { ...rest, nested_type: { ...value.nested_type, attributes: mapValues(value.nested_type.attributes, attribute) } } : rest;
}

interface Described {
  readonly description?: string;
  readonly description_kind?: string;
}

function mapValues<T>(record: Record<string, T>, f: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
