// A compact way to write down a Terraform provider schema, producing exactly the JSON
// that `terraform providers schema -json` prints. We author the bpg/proxmox schema from
// its documentation (no provider binary here), so it must read like the docs do.

export type AttributeType =
  | "string"
  | "number"
  | "bool"
  | readonly ["list" | "set" | "map", AttributeType]
  | readonly ["object", Readonly<Record<string, AttributeType>>];

export interface Attribute {
  readonly type?: AttributeType;
  readonly nested_type?: { readonly attributes: Record<string, Attribute>; readonly nesting_mode: "single" | "list" | "set" | "map" };
  readonly description: string;
  readonly description_kind: "plain";
  readonly required?: true;
  readonly optional?: true;
  readonly computed?: true;
  readonly sensitive?: true;
  readonly deprecated?: true;
}

export interface Block {
  readonly attributes?: Record<string, Attribute>;
  readonly block_types?: Record<string, BlockType>;
  readonly description?: string;
  readonly description_kind: "plain";
  readonly deprecated?: true;
}

export interface BlockType {
  readonly nesting_mode: "list" | "set" | "single";
  readonly block: Block;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface Schema {
  readonly version: number;
  readonly block: Block;
}

interface Flags {
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  /** Optional and also set by the provider when omitted. */
  readonly computed?: boolean;
}

function attr(type: AttributeType, description: string, mode: "required" | "optional" | "computed", flags: Flags = {}): Attribute {
  return {
    type,
    description,
    description_kind: "plain",
    ...(mode === "required" ? { required: true } : {}),
    ...(mode === "optional" ? { optional: true } : {}),
    ...(mode === "computed" || flags.computed ? { computed: true } : {}),
    ...(flags.sensitive ? { sensitive: true } : {}),
    ...(flags.deprecated ? { deprecated: true } : {}),
  };
}

export const required = (type: AttributeType, description: string, flags?: Flags) => attr(type, description, "required", flags);
export const optional = (type: AttributeType, description: string, flags?: Flags) => attr(type, description, "optional", flags);
/** Read-only: set by the provider. */
export const computed = (type: AttributeType, description: string, flags?: Flags) => attr(type, description, "computed", flags);

export const listOf = (type: AttributeType) => ["list", type] as const;
export const setOf = (type: AttributeType) => ["set", type] as const;
export const mapOf = (type: AttributeType) => ["map", type] as const;
export const objectOf = (fields: Record<string, AttributeType>) => ["object", fields] as const;

/** A plugin-framework nested attribute (`(Attributes …)` in the docs). */
export function nested(
  mode: "single" | "list" | "set" | "map",
  presence: "required" | "optional",
  description: string,
  attributes: Record<string, Attribute>,
): Attribute {
  return { nested_type: { attributes, nesting_mode: mode }, description, description_kind: "plain", ...(presence === "required" ? { required: true } : { optional: true }) };
}

export function block(attributes: Record<string, Attribute>, blockTypes: Record<string, BlockType> = {}, description?: string): Block {
  return {
    attributes,
    ...(Object.keys(blockTypes).length ? { block_types: blockTypes } : {}),
    ...(description ? { description } : {}),
    description_kind: "plain",
  };
}

/** An SDKv2 block that appears at most once (TypeList, MaxItems 1). */
export const singleBlock = (b: Block, opts: { min?: number } = {}): BlockType => ({
  nesting_mode: "list",
  block: b,
  ...(opts.min ? { min_items: opts.min } : {}),
  max_items: 1,
});

/** An SDKv2 block that may repeat ("multiple blocks supported"). */
export const repeatedBlock = (b: Block, opts: { max?: number } = {}): BlockType => ({
  nesting_mode: "list",
  block: b,
  ...(opts.max ? { max_items: opts.max } : {}),
});

/** The `id` every SDKv2 resource has. */
export const sdkId = optional("string", "The ID of this resource.", { computed: true });
