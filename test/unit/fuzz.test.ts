/**
 * Property-based fuzzing of the core. `npm test` runs 1 000 cases per property; `npm run soak`
 * sets FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { deliveryHeaders, parseEvent, receive, sign, verify, VENDORS, type VendorDefinition } from '../../shared';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const vendors = Object.values(VENDORS) as VendorDefinition[];
const anyVendor = fc.constantFrom(...vendors);
const headerMap = fc.dictionary(fc.string({ maxLength: 30 }), fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 })));
const bytes = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.json().map((text) => Buffer.from(text)), fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')));

describe(`core fuzzing (${RUNS} cases per property)`, () => {
  it('verify never throws, and accepts only real signatures', () => {
    fc.assert(
      fc.property(anyVendor, bytes, headerMap, fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), (vendor, body, headers, secrets) => {
        const outcome = verify(vendor.signature, body, headers, secrets);
        if (outcome.ok) expect(headers[vendor.signature.header.toLowerCase()]).toBeDefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('parseEvent never throws and never drops a JSON object', () => {
    fc.assert(
      fc.property(anyVendor, bytes, headerMap, (vendor, body, headers) => {
        const parsed = parseEvent(vendor, body, { headers });
        let isObject = false;
        try {
          const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
          isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
        } catch {
          isObject = false;
        }
        expect(parsed.ok).toBe(isObject);
      }),
      { numRuns: RUNS },
    );
  });

  it('a signed delivery is always accepted, and any changed byte always refused', () => {
    fc.assert(
      fc.property(anyVendor, fc.jsonValue(), fc.string({ minLength: 1, maxLength: 40 }), fc.nat(), (vendor, data, secret, at) => {
        const body = Buffer.from(JSON.stringify({ event: 'x', type: 'x', eventType: 'x', data }));
        const headers = deliveryHeaders(vendor, body, secret, 'x');
        expect(receive(vendor, body, headers, { secrets: [secret] })).toMatchObject({ ok: true });
        const changed = Buffer.from(body);
        changed.writeUInt8(changed.readUInt8(at % changed.length) ^ 0x20, at % changed.length);
        expect(receive(vendor, changed, headers, { secrets: [secret] })).toMatchObject({ ok: false, status: 401, reason: 'signature_mismatch' });
      }),
      { numRuns: RUNS },
    );
  });

  it('sign and verify agree under rotation, in any order of secrets', () => {
    fc.assert(
      fc.property(anyVendor, fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }), fc.nat(), (vendor, body, secrets, pick) => {
        const signer = secrets[pick % secrets.length]!;
        const outcome = verify(vendor.signature, body, { [vendor.signature.header]: sign(vendor.signature, body, signer) }, secrets);
        expect(outcome).toEqual({ ok: true, secretIndex: secrets.indexOf(signer) });
      }),
      { numRuns: RUNS },
    );
  });
});
