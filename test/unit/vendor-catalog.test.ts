/**
 * Every event the vendors define, as the hosts see it (title, description, category, sample
 * and JSON Schema), against test/fixtures/vendor-catalog.json. A change to a vendor file's
 * shape or helpers must leave the catalog as it was; a change meant to alter the catalog
 * regenerates the fixture and shows the difference in review:
 *
 *   UPDATE_VENDOR_CATALOG=1 npx jest test/unit/vendor-catalog.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchema, VENDORS } from '../../shared';

const FIXTURE = join(__dirname, '..', 'fixtures', 'vendor-catalog.json');

function catalog() {
  return Object.fromEntries(
    Object.values(VENDORS).map((vendor) => [
      vendor.id,
      Object.fromEntries(
        Object.entries(vendor.events).map(([name, event]) => [
          name,
          {
            title: event.title,
            description: event.description,
            category: event.category,
            sample: event.sample,
            jsonSchema: eventJsonSchema(event),
          },
        ]),
      ),
    ]),
  );
}

describe('the vendor catalog', () => {
  it('is the committed one, down to the order of events and fields', () => {
    // Text, not a deep equal: the order of properties is the order hosts list fields in.
    const current = `${JSON.stringify(catalog(), null, 2)}\n`;
    if (process.env.UPDATE_VENDOR_CATALOG === '1') writeFileSync(FIXTURE, current);
    expect(current).toBe(readFileSync(FIXTURE, 'utf8'));
  });
});
