/**
 * Property-based fuzzing of the core. `npm test` runs 1 000 cases per property; `npm run soak`
 * sets FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { decodeSignature, deliveryHeaders, headerValues, parseEvent, receive, sign, verify, VENDORS, type VendorDefinition } from '../../shared';
import { PARSE_ERRORS, VERIFY_FAILURES } from '../support/failures';
import { referenceHmacSha256 } from '../support/reference-hmac';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const vendors = Object.values(VENDORS) as VendorDefinition[];
const anyVendor = fc.constantFrom(...vendors);
const headerMap = fc.dictionary(fc.string({ maxLength: 30 }), fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 })));
const bytes = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.json().map((text) => Buffer.from(text)), fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')));

describe(`core fuzzing (${RUNS} cases per property)`, () => {
  it('verify never throws, accepts only real signatures, and refuses everything else with a stated reason', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(
        anyVendor,
        bytes,
        headerMap,
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
        // Half the cases carry a real signature by one of the secrets, so acceptance is exercised too.
        fc.option(fc.string({ minLength: 1, maxLength: 40 }), { freq: 2 }),
        (vendor, body, randomHeaders, otherSecrets, signer) => {
          const secrets = signer === null ? otherSecrets : [...otherSecrets, signer];
          const headers = signer === null ? randomHeaders : { ...randomHeaders, [vendor.signature.header]: sign(vendor.signature, body, signer) };
          const outcome = verify(vendor.signature, body, headers, secrets);
          if (outcome.ok) {
            seen.accepted += 1;
            const values = headerValues(headers, vendor.signature.header);
            expect(values).toHaveLength(1);
            const given = decodeSignature(values[0] ?? '');
            expect(given?.equals(referenceHmacSha256(Buffer.from(secrets[outcome.secretIndex] ?? ''), body))).toBe(true);
          } else {
            seen.refused += 1;
            expect(VERIFY_FAILURES).toContain(outcome.reason);
            expect(outcome.message).toContain(outcome.reason === 'no_secret' ? 'secret' : vendor.signature.header);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
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
        if (parsed.ok) expect(parsed.event.payload).toBe(parsed.body);
        else expect(PARSE_ERRORS).toContain(parsed.error);
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
