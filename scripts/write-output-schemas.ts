// Writes each trigger's output schema where n8n looks for it (`__schema__/v1.0.0/output.json`
// beside the compiled node), from the core's event schemas: n8n shows the fields before the
// first event arrives.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchema, VENDORS, type JsonSchema, type VendorDefinition } from '../shared';

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

const metadata: Schema = {
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
  },
  required: ['vendor', 'event', 'dedupeKey', 'receivedAt', 'verified', 'schemaIssues'],
};

function outputSchema(vendor: VendorDefinition): Schema {
  const events = merge(Object.values(vendor.events).map((event) => eventJsonSchema(event) as Schema));
  return { ...events, properties: { ...events.properties, convhooks: metadata }, required: [...(events.required ?? []), 'convhooks'] };
}

const distNodes = join(__dirname, '..', 'dist', 'nodes');
for (const vendor of Object.values(VENDORS) as VendorDefinition[]) {
  const folder = join(distNodes, `${vendor.name}Trigger`, '__schema__', 'v1.0.0');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'output.json'), `${JSON.stringify({ ...outputSchema(vendor), version: 1 }, null, 2)}\n`);
}
