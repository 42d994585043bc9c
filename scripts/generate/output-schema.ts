// A trigger's output schema, from the core's event schemas: n8n shows the fields it describes
// before the first event arrives.
import { eventJsonSchema, type JsonSchema } from '../../shared/schema-export';
import type { VendorDefinition } from '../../shared/vendor-definition';

type Schema = JsonSchema & { properties?: Record<string, Schema>; required?: string[] };

/** One schema for any event of a vendor: properties of every event, required where all require them. */
function merge(schemas: Schema[]): Schema {
  const objects = schemas.filter((schema) => schema.type === 'object' && schema.properties);
  if (objects.length !== schemas.length) {
    const distinct = [...new Map(schemas.map((schema) => [JSON.stringify(schema), schema])).values()];
    return distinct.length === 1 ? distinct[0]! : { anyOf: distinct };
  }
  const keys = [...new Set(objects.flatMap((schema) => Object.keys(schema.properties ?? {})))];
  const properties = Object.fromEntries(
    keys.map((key) => [key, merge(objects.flatMap((schema) => (schema.properties?.[key] ? [schema.properties[key]!] : [])))]),
  );
  const required = keys.filter((key) => objects.every((schema) => schema.required?.includes(key)));
  return { type: 'object', properties, required, additionalProperties: {} };
}

/** `recoveredFrom` only where the vendor's recent events can be polled: an item read back from its API says so. */
function metadata(vendor: VendorDefinition): Schema {
  const recoverable = vendor.registration.kind === 'api' && vendor.registration.api.recentEvents !== undefined;
  return {
    type: 'object',
    description: 'Added by ConvHooks to every item',
    properties: {
      vendor: { type: 'string' },
      event: { type: 'string' },
      dedupeKey: { type: 'string' },
      receivedAt: { type: 'string', format: 'date-time' },
      verified: { type: 'boolean' },
      schemaIssues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      headers: { type: 'object' },
      ...(recoverable ? { recoveredFrom: { type: 'string', enum: ['api'] } } : {}),
    },
    required: ['vendor', 'event', 'dedupeKey', 'receivedAt', 'verified', 'schemaIssues'],
  };
}

export function outputSchema(vendor: VendorDefinition): Schema {
  const events = merge(Object.values(vendor.events).map((event) => eventJsonSchema(event) as Schema));
  return { ...events, properties: { ...events.properties, convhooks: metadata(vendor) }, required: [...(events.required ?? []), 'convhooks'] };
}
