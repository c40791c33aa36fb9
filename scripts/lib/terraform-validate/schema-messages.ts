// `terraform providers schema -json` → tfplugin6 Schema messages (as plain objects for
// @grpc/proto-loader). The JSON is Terraform's own rendering of those messages
// (hashicorp/terraform internal/command/jsonprovider), so the mapping is one to one: an
// attribute's type is its JSON type expression as bytes; a nested_type attribute (framework
// resources, e.g. the PCI mapping's `map`) becomes an Object with its own attributes.
import type { Attribute, Block, NestedBlock, NestedType, ProvidersSchema, Schema } from "../provider-schema";

export interface ProviderSchemaResponse {
  readonly provider: unknown;
  readonly resource_schemas: Record<string, unknown>;
  readonly data_source_schemas: Record<string, unknown>;
  readonly diagnostics: readonly never[];
  readonly server_capabilities: { readonly plan_destroy: boolean; readonly get_provider_schema_optional: boolean };
}

/** The GetProviderSchema response for one provider of a schema file. */
export function providerSchemaResponse(file: ProvidersSchema, source: string): ProviderSchemaResponse {
  const provider = file.provider_schemas[source];
  if (!provider) throw new Error(`the schema file has no provider ${source}`);
  const all = (schemas: Record<string, Schema> | undefined) => Object.fromEntries(Object.entries(schemas ?? {}).map(([name, s]) => [name, schema(s)]));
  return {
    provider: schema(provider.provider),
    resource_schemas: all(provider.resource_schemas),
    data_source_schemas: all(provider.data_source_schemas),
    diagnostics: [],
    server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
  };
}

const schema = (s: Schema) => ({ version: s.version, block: block(s.block) });

function block(b: Block): unknown {
  return {
    attributes: Object.entries(b.attributes ?? {}).map(([name, a]) => attribute(name, a)),
    block_types: Object.entries(b.block_types ?? {}).map(([name, nested]) => nestedBlock(name, nested)),
    deprecated: b.deprecated ?? false,
  };
}

function attribute(name: string, a: Attribute): unknown {
  return {
    name,
    ...(a.type !== undefined ? { type: Buffer.from(JSON.stringify(a.type)) } : {}),
    ...(a.nested_type ? { nested_type: nestedType(a.nested_type) } : {}),
    required: a.required ?? false,
    optional: a.optional ?? false,
    computed: a.computed ?? false,
    sensitive: a.sensitive ?? false,
    deprecated: a.deprecated ?? false,
    write_only: a.write_only ?? false,
  };
}

function nestedType(n: NestedType): unknown {
  return { attributes: Object.entries(n.attributes).map(([name, a]) => attribute(name, a)), nesting: n.nesting_mode.toUpperCase() };
}

function nestedBlock(name: string, n: NestedBlock): unknown {
  return { type_name: name, block: block(n.block), nesting: n.nesting_mode.toUpperCase(), min_items: n.min_items ?? 0, max_items: n.max_items ?? 0 };
}
