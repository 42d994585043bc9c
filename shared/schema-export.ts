import { z } from 'zod/v4';
import type { EventDefinition } from './vendor-definition';

export type JsonSchema = z.core.JSONSchema.BaseSchema;

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null' | 'any';

/** One leaf (or open object) of an event, as hosts list output fields. */
export interface FieldDescription {
  /** Dotted path, `[]` marking array items: `data.entity.phones[].phone`. */
  readonly key: string;
  /** Words for people: "Data Entity Phones Phone". */
  readonly label: string;
  readonly type: FieldType;
}

export function eventJsonSchema(event: EventDefinition): JsonSchema {
  return z.toJSONSchema(event.schema, { io: 'output', unrepresentable: 'any' });
}

function words(key: string): string {
  return key
    .replace(/\[\]/g, '')
    .split(/[._]/)
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2'))
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

const FIELD_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

function typeOf(schema: JsonSchema): { type: FieldType; schema: JsonSchema } {
  const variants = (schema.anyOf ?? schema.oneOf ?? [schema]) as JsonSchema[];
  const nonNull = variants.filter((variant) => variant.type !== 'null');
  const nullable = nonNull.length < variants.length;
  const main = nonNull.length === 1 ? nonNull[0] : undefined;
  if (main === undefined) return { type: nullable ? 'null' : 'any', schema };
  const declared = typeof main.type === 'string' ? main.type : undefined;
  const type = declared !== undefined && FIELD_TYPES.has(declared) ? (declared as FieldType) : 'any';
  return { type, schema: main };
}

function collect(schema: JsonSchema, prefix: string, out: FieldDescription[]): void {
  const { type, schema: inner } = typeOf(schema);
  const properties = inner.properties ?? {};
  const keys = Object.keys(properties);
  if (type === 'object' && keys.length > 0) {
    for (const key of keys) {
      const child = properties[key];
      if (typeof child === 'object') collect(child, prefix === '' ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  if (prefix === '') return;
  out.push({ key: prefix, label: words(prefix), type });
  if (type === 'array' && typeof inner.items === 'object' && !Array.isArray(inner.items)) {
    const items = inner.items as JsonSchema;
    if (typeOf(items).type === 'object') collect(items, `${prefix}[]`, out);
  }
}

/** Every field of an event, flattened, in schema order: the hosts' output field lists. */
export function eventFields(event: EventDefinition): FieldDescription[] {
  const fields: FieldDescription[] = [];
  collect(eventJsonSchema(event), '', fields);
  return fields;
}
