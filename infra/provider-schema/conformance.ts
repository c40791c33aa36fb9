// Checks a synthesized cdk.tf.json against a provider schema: every resource type and
// every attribute or block we emit must exist, with a value of the declared type, and
// every required attribute must be set. Terraform interpolations (${…}) match any type.
import type { AttributeType, Block, BlockType } from "./dsl";

interface ProviderSchemas {
  readonly provider_schemas: Record<string, { provider: { block: Block }; resource_schemas: Record<string, { block: Block }>; data_source_schemas: Record<string, { block: Block }> }>;
}

/** Keys every resource may carry besides its schema (Terraform meta-arguments, cdktf metadata). */
const metaArguments = new Set(["//", "depends_on", "count", "for_each", "provider", "lifecycle", "provisioner", "connection"]);

export function checkTerraformJson(stack: Record<string, any>, schemas: ProviderSchemas, providerName = "proxmox"): string[] {
  const problems: string[] = [];
  const provider = Object.entries(schemas.provider_schemas).find(([source]) => source.endsWith(`/${providerName}`))?.[1];
  if (!provider) return [`no schema for provider ${providerName}`];

  for (const config of stack.provider?.[providerName] ?? []) {
    checkBlock(config, provider.provider.block, `provider.${providerName}`, problems, new Set(["alias"]));
  }
  for (const [type, byName] of Object.entries<Record<string, unknown>>(stack.resource ?? {})) {
    const schema = provider.resource_schemas[type];
    if (!schema) {
      if (type.startsWith(`${providerName}_`)) problems.push(`resource type ${type} does not exist in the provider schema`);
      continue;
    }
    for (const [name, body] of Object.entries(byName)) checkBlock(body, schema.block, `${type}.${name}`, problems, metaArguments);
  }
  return problems;
}

function checkBlock(value: unknown, block: Block, where: string, problems: string[], allowed = new Set<string>()): void {
  if (!isObject(value)) {
    problems.push(`${where}: expected a block (object), got ${typeName(value)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, v] of Object.entries(value)) {
    if (allowed.has(key)) continue;
    const attribute = attributes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) problems.push(`${where}.${key}: is read-only (computed) and cannot be set`);
      else if (attribute.type) checkValue(v, attribute.type, `${where}.${key}`, problems);
      else if (attribute.nested_type) checkNested(v, attribute.nested_type, `${where}.${key}`, problems);
      continue;
    }
    const nested = blockTypes[key];
    if (nested) {
      checkBlockType(v, nested, `${where}.${key}`, problems);
      continue;
    }
    problems.push(`${where}.${key}: no such argument in the provider schema`);
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in value)) problems.push(`${where}.${key}: required argument is missing`);
  }
}

function checkBlockType(value: unknown, blockType: BlockType, where: string, problems: string[]): void {
  // cdktf writes a single-item block (max_items 1) as an object, others as a list.
  const items = Array.isArray(value) ? value : [value];
  if (blockType.max_items !== undefined && items.length > blockType.max_items) problems.push(`${where}: at most ${blockType.max_items} block(s) allowed, got ${items.length}`);
  items.forEach((item, i) => checkBlock(item, blockType.block, items.length > 1 ? `${where}[${i}]` : where, problems));
}

function checkNested(value: unknown, nested: NonNullable<import("./dsl").Attribute["nested_type"]>, where: string, problems: string[]): void {
  if (isInterpolation(value)) return;
  const items = nested.nesting_mode === "single" ? [value] : Array.isArray(value) ? value : undefined;
  if (!items) {
    problems.push(`${where}: expected a list of objects, got ${typeName(value)}`);
    return;
  }
  items.forEach((item, i) => checkBlock(item, { attributes: nested.attributes, description_kind: "plain" }, `${where}[${i}]`, problems));
}

function checkValue(value: unknown, type: AttributeType, where: string, problems: string[]): void {
  if (value === null || isInterpolation(value)) return;
  if (type === "string") {
    if (typeof value !== "string") problems.push(`${where}: expected a string, got ${typeName(value)}`);
  } else if (type === "number") {
    if (typeof value !== "number") problems.push(`${where}: expected a number, got ${typeName(value)}`);
  } else if (type === "bool") {
    if (typeof value !== "boolean") problems.push(`${where}: expected a bool, got ${typeName(value)}`);
  } else if (type[0] === "list" || type[0] === "set") {
    if (!Array.isArray(value)) problems.push(`${where}: expected a ${type[0]}, got ${typeName(value)}`);
    else value.forEach((item, i) => checkValue(item, type[1] as AttributeType, `${where}[${i}]`, problems));
  } else if (type[0] === "map") {
    if (!isObject(value)) problems.push(`${where}: expected a map, got ${typeName(value)}`);
    else for (const [k, item] of Object.entries(value)) checkValue(item, type[1] as AttributeType, `${where}.${k}`, problems);
  } else if (!isObject(value)) {
    problems.push(`${where}: expected an object, got ${typeName(value)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isInterpolation = (v: unknown) => typeof v === "string" && /^\$\{[^}]+\}$/.test(v);
const typeName = (v: unknown) => (Array.isArray(v) ? "a list" : v === null ? "null" : `a ${typeof v}`);
