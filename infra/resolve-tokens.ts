// cdktf resolves every value of every element, to find the few that hold a token: per key and
// value it builds a resolution context (closures, a copied path) and runs its token regexes.
// On a large lab that is most of cdktf's synthesis, for values that are nearly all plain data
// (a VM's sizes, names, flags). resolveTokens() walks the plain data itself, with checks that can
// only err towards cdktf, and gives cdktf's resolve every part that could hold a token, with its
// path, so the result and any error are cdktf's own (a test compares them on both labs).
import { Token } from "cdktf";
import { resolve as cdktfResolve } from "cdktf/lib/tokens/private/resolve";
import type { ITokenResolver } from "cdktf";
import type { IConstruct } from "constructs";

/** cdktf's own limit: deeper than this, its resolve reports a circular reference. */
const maxDepth = 200;

/** Plain values cdktf would return unchanged; anything else goes to cdktf. */
function isPlainString(value: string): boolean {
  // Token markers (${TfToken[, #{TfToken[, &{TfToken[) and stringified number tokens, which are
  // doubles near -1e289 (always written with "e+"); cdktf rejects the two map-token values.
  return !value.includes("{TfToken[") && !value.includes("e+") && value !== Token.STRING_MAP_TOKEN_VALUE && value !== Token.ANY_MAP_TOKEN_VALUE;
}

function isPlainNumber(value: number): boolean {
  // Number tokens (and list-number tokens) are encoded as doubles beyond ±1e280.
  return Math.abs(value) < 1e280 && value !== Token.NUMBER_MAP_TOKEN_VALUE;
}

function isPlainScalar(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return isPlainString(value);
    case "number":
      return isPlainNumber(value);
    case "boolean":
    case "undefined":
      return true;
    default:
      return value === null;
  }
}

function isPlainRecord(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  // Class instances (tokens, Lazy, constructs, Date) and anything with resolve() are cdktf's.
  return (prototype === Object.prototype || prototype === null) && typeof (value as { resolve?: unknown }).resolve !== "function";
}

/**
 * What `Tokenization.resolve(value, { scope, resolver, preparing: false })` returns, resolving
 * through cdktf only the parts that may hold a token.
 */
export function resolveTokens(value: unknown, scope: IConstruct, resolver: ITokenResolver): unknown {
  const path: string[] = [];
  const viaCdktf = (part: unknown) => cdktfResolve(part, { scope, resolver, preparing: false, prefix: [...path] });

  const walk = (part: unknown): unknown => {
    if (path.length > maxDepth) return viaCdktf(part);
    if (typeof part !== "object" || part === null) return isPlainScalar(part) ? part : viaCdktf(part);
    if (Array.isArray(part)) {
      // cdktf looks at an array's scalar items first: one list token makes it resolve the whole list.
      if (!part.every((item) => typeof item === "object" || isPlainScalar(item))) return viaCdktf(part);
      const items: unknown[] = [];
      for (let i = 0; i < part.length; i++) {
        path.push(`${i}`);
        const item = walk(part[i]);
        path.pop();
        if (item !== undefined) items.push(item);
      }
      return items;
    }
    if (!isPlainRecord(part)) return viaCdktf(part);
    const keys = Object.keys(part);
    // Likewise a map token among the keys.
    if (!keys.every(isPlainString)) return viaCdktf(part);
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const field = walk(part[key]);
      path.pop();
      if (field !== undefined) result[key] = field;
    }
    return result;
  };
  return walk(value);
}
