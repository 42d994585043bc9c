import type { HeaderMap, VendorDefinition } from '../../shared';

/** The event-type header a vendor sends beside the body, where it has one. */
export function getHeaderFor(vendor: VendorDefinition, eventName: string): HeaderMap {
  const { header } = vendor.eventType;
  return header === undefined ? {} : { [header.toLowerCase()]: eventName };
}
