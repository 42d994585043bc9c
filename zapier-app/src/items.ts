import type { PlainOutputField } from 'zapier-platform-core';
import {
  eventFields,
  parseEvent,
  type EventDefinition,
  type FieldDescription,
  type JsonObject,
  type ParseResult,
  type VendorDefinition,
} from '../../shared';

/** One item a trigger hands to Zapier: the vendor's payload, a stable `id`, and our metadata. */
export type TriggerItem = JsonObject & { readonly id: string };

type ParsedEvent = Extract<ParseResult<VendorDefinition>, { ok: true }>;

/**
 * `id` holds the core's dedupe key (the vendor's event id, else a digest of the raw body), equal
 * for retries of one event: Zapier dedupes listed items on it, and hook deliveries are deduped on
 * it by the trigger itself (Zapier dedupes no hooks). A payload `id` of its own would be shadowed
 * by it, so that one is kept as `convhooks.payloadId`.
 */
export function toItem(vendor: VendorDefinition, parsed: ParsedEvent, verified: boolean): TriggerItem {
  const { id: payloadId, ...payload } = parsed.body;
  const convhooks: JsonObject = {
    vendor: vendor.id,
    event: parsed.eventType,
    verified,
    payloadId: payloadId ?? null,
    schemaIssues: parsed.issues.map(({ path, message }) => ({ path, message })),
  };
  return { id: parsed.dedupeKey, ...payload, convhooks };
}

/** The payload as bytes, for payloads that did not arrive as a delivery (listed events, documented samples). */
const asBytes = (payload: unknown) => Buffer.from(JSON.stringify(payload));

/** Items for listed payloads of one event; nothing listed went through a signature check. */
export function listedItems(vendor: VendorDefinition, eventName: string, payloads: readonly unknown[]): TriggerItem[] {
  return payloads.flatMap((payload) => {
    const parsed = parseEvent(vendor, asBytes(payload));
    return parsed.ok && parsed.eventType === eventName ? [toItem(vendor, parsed, false)] : [];
  });
}

/**
 * The trigger's `sample`: its documented example, shaped as `perform` shapes a delivery. No
 * signature vouched for it, so it says `verified: false`; a Zap mapped on it shows the field
 * as it is, never a check that did not happen.
 */
export function sampleItem(vendor: VendorDefinition, eventName: string, event: EventDefinition): TriggerItem {
  const [item] = listedItems(vendor, eventName, [event.sample]);
  if (item === undefined) throw new Error(`${vendor.name}'s documented ${eventName} sample does not parse as that event.`);
  return item;
}

/** Zapier spells nested keys `a__b` and line items `list[]field`; the core spells them `a.b` and `list[].field`. */
const zapierKey = (path: string) => path.replace(/\[\]\./g, '[]').replace(/\./g, '__');

const ZAPIER_TYPES: Partial<Record<FieldDescription['type'], PlainOutputField['type']>> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
};

function outputField(field: FieldDescription): PlainOutputField {
  const type = ZAPIER_TYPES[field.type];
  return {
    key: zapierKey(field.key),
    label: field.label,
    ...(type === undefined ? {} : { type }),
    ...(field.type === 'array' ? { list: true } : {}),
  };
}

const METADATA_FIELDS: readonly PlainOutputField[] = [
  { key: 'id', label: 'ID (dedupe key)', type: 'string' },
  { key: 'convhooks__vendor', label: 'ConvHooks Vendor', type: 'string' },
  { key: 'convhooks__event', label: 'ConvHooks Event', type: 'string' },
  { key: 'convhooks__verified', label: 'ConvHooks Signature Verified', type: 'boolean' },
  { key: 'convhooks__payloadId', label: 'ConvHooks Payload ID', type: 'string' },
  { key: 'convhooks__schemaIssues', label: 'ConvHooks Schema Issues', list: true },
  { key: 'convhooks__schemaIssues[]path', label: 'ConvHooks Schema Issue Path', type: 'string' },
  { key: 'convhooks__schemaIssues[]message', label: 'ConvHooks Schema Issue Message', type: 'string' },
];

/** The event's fields from the core's schema export, less the payload `id` that the dedupe key replaces. */
export function outputFields(event: EventDefinition): PlainOutputField[] {
  const payloadFields = eventFields(event).filter((field) => field.key !== 'id').map(outputField);
  return [...METADATA_FIELDS, ...payloadFields];
}
