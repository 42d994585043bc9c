import type { z } from 'zod/v4';
import { isJsonObject } from './json';

/**
 * Whether a value certainly passes a schema, answered without building zod's copy of it.
 * `false` means only "not certain": the caller then asks zod itself, which also names the
 * issues. So a check must never say `true` where zod would refuse; where a schema uses
 * anything this file does not mirror exactly (refinements, formats, coercion, strict objects, pipes),
 * that part is handed to zod.
 */
export type CertainCheck = (value: unknown) => boolean;

type Def = z.core.$ZodTypeDef & {
  readonly checks?: readonly unknown[];
  readonly coerce?: boolean;
  readonly format?: string;
  readonly innerType?: z.core.$ZodType;
  readonly element?: z.core.$ZodType;
  readonly shape?: Readonly<Record<string, z.core.$ZodType>>;
  readonly catchall?: z.core.$ZodType;
};

function byZod(schema: z.core.$ZodType): CertainCheck {
  const safeParse = (schema as z.ZodType).safeParse.bind(schema);
  return (value) => safeParse(value).success;
}

/** Unknown keys pass a loose object (catchall unknown) and a stripping one (no catchall) alike. */
function acceptsAnyExtraKey(catchall: z.core.$ZodType | undefined): boolean {
  return catchall === undefined || catchall._zod.def.type === 'unknown' || catchall._zod.def.type === 'any';
}

// Index loops over parallel arrays: these run for every field of every delivery, and an
// iterator with destructuring costs more than the check it drives.
function objectCheck(shape: Readonly<Record<string, z.core.$ZodType>>): CertainCheck {
  const keys = Object.keys(shape);
  const checks = keys.map((key) => compileCertainCheck(shape[key] as z.core.$ZodType));
  return (value) => {
    if (!isJsonObject(value)) return false;
    for (let index = 0; index < keys.length; index += 1) {
      if (!(checks[index] as CertainCheck)(value[keys[index] as string])) return false;
    }
    return true;
  };
}

function arrayCheck(element: z.core.$ZodType): CertainCheck {
  const check = compileCertainCheck(element);
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let index = 0; index < value.length; index += 1) if (!check(value[index])) return false;
    return true;
  };
}

/** The schema turned into nested plain functions, once; for the event schemas of the vendors' catalogs. */
export function compileCertainCheck(schema: z.core.$ZodType): CertainCheck {
  const def = schema._zod.def as Def;
  // A format (email, url, datetime, int) is a check zod keeps outside `checks`.
  if ((def.checks?.length ?? 0) > 0 || def.coerce === true || def.format !== undefined) return byZod(schema);
  switch (def.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'null':
      return (value) => value === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal':
    case 'enum': {
      // The very set zod's own parse asks.
      const values = schema._zod.values;
      return values === undefined ? byZod(schema) : (value) => values.has(value as z.core.util.Primitive);
    }
    case 'nullable': {
      if (def.innerType === undefined) return byZod(schema);
      const inner = compileCertainCheck(def.innerType);
      return (value) => value === null || inner(value);
    }
    case 'optional': {
      if (def.innerType === undefined) return byZod(schema);
      const inner = compileCertainCheck(def.innerType);
      return (value) => value === undefined || inner(value);
    }
    case 'array':
      return def.element === undefined ? byZod(schema) : arrayCheck(def.element);
    case 'object':
      return def.shape !== undefined && acceptsAnyExtraKey(def.catchall) ? objectCheck(def.shape) : byZod(schema);
    default:
      return byZod(schema);
  }
}
