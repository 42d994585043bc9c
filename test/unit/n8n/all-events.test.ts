import { VENDORS, type VendorDefinition } from '../../../shared';
import { triggerDescription } from '../../../nodes/description';
import { ALL_EVENTS } from '../../../nodes/trigger/events';

const vendors = Object.values(VENDORS) as VendorDefinition[];

function allEventsText(vendor: VendorDefinition) {
  const events = triggerDescription(vendor).properties.find((property) => property.name === 'events');
  const option = events?.options?.find((candidate) => 'value' in candidate && candidate.value === ALL_EVENTS);
  return option !== undefined && 'description' in option ? option.description : undefined;
}

/** What the vendor is asked for when the user picks every event; undefined for vendors without an API. */
function eventsAskedForAll(vendor: VendorDefinition) {
  if (vendor.registration.kind === 'manual') return undefined;
  return vendor.registration.api.create('https://n8n.example/webhook/x', 'all').body?.events;
}

describe('"All Events" in the n8n trigger', () => {
  it.each(vendors)('tells the truth about events $name adds later', (vendor) => {
    const text = allEventsText(vendor);
    const asked = eventsAskedForAll(vendor);
    if (asked === undefined) {
      // No list goes to the vendor (or nothing does), and the node filters nothing out.
      expect(text).toBe(`Every event ${vendor.name} sends, including ones added later`);
    } else {
      expect(asked).toEqual(Object.keys(vendor.events));
      expect(text).toMatch(/documents today/);
      expect(text).toMatch(/an event type it adds later is not sent/);
      expect(text).not.toMatch(/including ones added later/);
    }
  });

  it.each(vendors.filter((vendor) => vendor.registration.kind === 'api'))('declares how $name is asked for every event, as its create does', (vendor) => {
    if (vendor.registration.kind !== 'api') throw new Error('expected an API vendor');
    expect(vendor.registration.api.allEvents).toBe(eventsAskedForAll(vendor) === undefined ? 'vendor-wide' : 'catalog');
  });
});
