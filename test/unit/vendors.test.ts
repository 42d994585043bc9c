import { eventTypeHeaders, parseEvent, VENDORS, VENDOR_IDS, type Vendor } from '../../shared';

const EXPECTED_EVENT_COUNTS = { konver: 8, converc: 4, kolvera: 14, konvox: 6, convo: 11 };

const allSamples = Object.values(VENDORS).flatMap((vendor: Vendor) =>
  Object.entries(vendor.events).map(([name, event]) => [vendor.id, name, vendor, event.sample] as const),
);

describe('vendor catalogs', () => {
  it('list exactly the documented number of events for each documented vendor', () => {
    expect(Object.fromEntries(VENDOR_IDS.map((id) => [id, Object.keys(VENDORS[id].events).length]))).toMatchObject(
      EXPECTED_EVENT_COUNTS,
    );
  });

  it('name Converc events as its doc does', () => {
    expect(Object.keys(VENDORS.converc.events)).toEqual([
      'call.ended',
      'call.recording_ready',
      'call.transcript_ready',
      'webhook.test',
    ]);
  });

  it('give every event a title, description and category', () => {
    for (const [, , vendor] of allSamples) {
      for (const event of Object.values(vendor.events)) {
        expect(event.title.length).toBeGreaterThan(3);
        expect(event.description).toMatch(/\.$/);
        expect(event.category.length).toBeGreaterThan(2);
      }
    }
  });

  it('register API vendors through an API and the others by hand', () => {
    expect(VENDOR_IDS.filter((id) => VENDORS[id].registration.kind === 'api')).toEqual(['converc', 'convo']);
  });

  it('state an assumption wherever the doc leaves the signature unsaid', () => {
    expect(VENDORS.converc.signature.assumption).toMatch(/header/);
    expect(VENDORS.konvox.signature.assumption).toMatch(/no signature/);
    expect(VENDORS.konver.signature.assumption).toMatch(/encoding/);
    expect(VENDORS.kolvera.signature.assumption).toBeUndefined();
    expect(VENDORS.convo.signature.assumption).toBeUndefined();
  });

  it('offer a header override only where the doc names none, and unverified running only where it describes no signature', () => {
    const flags = Object.fromEntries(VENDOR_IDS.map((id) => [id, [Boolean(VENDORS[id].signature.headerAssumed), Boolean(VENDORS[id].signature.mayBeUnsigned)]]));
    expect(flags).toMatchObject({ konver: [false, false], converc: [true, false], kolvera: [false, false], konvox: [true, true], convo: [false, false] });
  });

  it('carry the documented delivery policies', () => {
    expect(VENDORS.konvox.delivery).toMatchObject({ maxAttempts: 4, backoff: { kind: 'exponential' }, timeoutMs: 10_000 });
    expect(VENDORS.convo.delivery).toMatchObject({ maxAttempts: 1, backoff: { kind: 'none' }, timeoutMs: 10_000 });
  });
});

describe.each(allSamples)('%s %s sample', (_vendorId, name, vendor, sample) => {
  const raw = Buffer.from(JSON.stringify(sample));

  it('parses into its own typed event with no schema issues', () => {
    const parsed = parseEvent(vendor, raw, { headers: eventTypeHeaders(vendor, name) });
    expect(parsed).toMatchObject({ ok: true, issues: [], event: { type: name, payload: sample } });
  });
});
