// When the schema rejects part of a spec, the cross-field rules still run on the rest, so every
// problem is reported in one round instead of revealing more after each fix. The spec's valid
// parts are parsed field by field (defaults filled in as in a whole parse); a part the schema
// rejected reads as a getter that throws Unavailable, and a rule that touches one is skipped.
import type { z } from "zod";
import type { SpecPath } from "./problems";

/** Thrown by a part of the spec that the schema rejected, when a rule reads it. */
export class Unavailable extends Error {
  constructor(readonly path: SpecPath) {
    super(`spec part ${path.join(".")} is invalid`);
    this.name = "Unavailable";
  }
}

type Schema = z.ZodType & { _zod: { def: { type: string; shape?: Record<string, Schema>; element?: Schema; innerType?: Schema } } };

/** The value of `data` under `schema`, with each invalid part (a path in `invalid`) unavailable. */
export function partialValue(schema: Schema, data: unknown, invalid: readonly SpecPath[], path: SpecPath = []): unknown {
  const mine = invalid.filter((p) => startsWith(p, path));
  if (!mine.length) return schema.parse(data);
  const def = schema._zod.def;
  if ((def.type === "default" || def.type === "prefault" || def.type === "optional") && data !== undefined && def.innerType)
    return partialValue(def.innerType, data, mine, path);
  // The object or array itself is invalid (a wrong type, unknown keys, a refinement of the whole).
  if (mine.some((p) => p.length === path.length) || typeof data !== "object" || data === null) throw new Unavailable(path);
  if (def.type === "object" && def.shape && !Array.isArray(data)) {
    const shape = def.shape;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const at = [...path, key];
      try {
        out[key] = partialValue(shape[key], (data as Record<string, unknown>)[key], mine, at);
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        Object.defineProperty(out, key, { enumerable: true, get: () => throwUnavailable(at) });
      }
    }
    return out;
  }
  if (def.type === "array" && def.element && Array.isArray(data)) {
    const element = def.element;
    const out: unknown[] = [];
    data.forEach((item, i) => {
      const at = [...path, i];
      try {
        out.push(partialValue(element, item, mine, at));
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        out.push(undefined);
        Object.defineProperty(out, i, { enumerable: true, get: () => throwUnavailable(at) });
      }
    });
    return out;
  }
  throw new Unavailable(path);
}

function throwUnavailable(path: SpecPath): never {
  throw new Unavailable(path);
}

function startsWith(path: readonly PropertyKey[], prefix: SpecPath): boolean {
  return prefix.every((part, i) => path[i] === part);
}
