import type { JsonObject } from './json';
import { sign, type Secret } from './signature';
import type { VendorDefinition } from './vendor-definition';

/**
 * A sample event made new: a fresh event id (where the vendor has one) and timestamp, so two
 * sample deliveries are two events to a receiver that deduplicates.
 */
export function freshSample(
  vendor: VendorDefinition,
  eventName: string,
  fresh: { readonly id: string; readonly at: Date },
): JsonObject | undefined {
  if (!Object.hasOwn(vendor.events, eventName)) return undefined;
  const sample = structuredClone(vendor.events[eventName]?.sample) as JsonObject;
  if (vendor.dedupe.idField !== undefined) sample[vendor.dedupe.idField] = fresh.id;
  sample[vendor.timestampField] = fresh.at.toISOString();
  return sample;
}

/** The event-type header a vendor sends beside the body, where it has one. */
export function eventTypeHeaders(vendor: VendorDefinition, eventName: string): Record<string, string> {
  const { header } = vendor.eventType;
  return header === undefined ? {} : { [header.toLowerCase()]: eventName };
}

/** The headers a vendor sends with a delivery of `body`, signature included. */
export function deliveryHeaders(
  vendor: VendorDefinition,
  body: Uint8Array,
  secret: Secret,
  eventName: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `${vendor.name}-Webhooks/1.0`,
    [vendor.signature.header.toLowerCase()]: sign(vendor.signature, body, secret),
  };
  if (eventName !== undefined) Object.assign(headers, eventTypeHeaders(vendor, eventName));
  return headers;
}
