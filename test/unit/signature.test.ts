import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeSignature, sign, verify, type SignatureScheme } from '../../shared/signature';
import { VERIFY_FAILURES } from '../support/failures';
import { referenceHmacSha256 } from '../support/reference-hmac';

const scheme: SignatureScheme = { header: 'X-Test-Signature', encoding: 'hex' };
const body = Buffer.from('{"event":"contact.replied","data":{}}');
const secret = 'whsec-test';
const hex = referenceHmacSha256(Buffer.from(secret), body).toString('hex');
const headersWith = (value: string) => ({ 'x-test-signature': value });

/** A fixture in test/fixtures (see its README for source and licence); a missing one fails the suite, never skips it. */
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as T;
}

describe('GitHub known-answer vector', () => {
  const vector = fixture<{ header: string; secret: string; payload: string; signature: string }>('github_webhook_signature_vector.json');
  const githubScheme: SignatureScheme = { header: vector.header, encoding: 'hex' };
  const message = Buffer.from(vector.payload);
  const expected = vector.signature.replace(/^sha256=/, '');

  it('signs to the published digest', () => {
    expect(sign(githubScheme, message, vector.secret)).toBe(expected);
  });

  it('verifies the published header, with and without its sha256= prefix', () => {
    for (const value of [vector.signature, expected]) {
      expect(verify(githubScheme, message, { [vector.header.toLowerCase()]: value }, [vector.secret])).toEqual({ ok: true, secretIndex: 0 });
    }
  });
});

interface WycheproofTest {
  tcId: number;
  key: string;
  msg: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
  comment: string;
}

describe('Wycheproof HMAC-SHA256 vectors', () => {
  const { numberOfTests, testGroups } = fixture<{ numberOfTests: number; testGroups: { tagSize: number; tests: WycheproofTest[] }[] }>(
    'wycheproof_hmac_sha256_test.json',
  );
  const all = testGroups.flatMap((group) => group.tests.map((test) => ({ ...test, tagSize: group.tagSize })));

  it('holds all 174 vectors', () => {
    expect(numberOfTests).toBe(174);
    expect(all).toHaveLength(174);
  });

  it.each(all.map((test) => [test.tcId, test.tagSize, test] as const))('vector %i (%i-bit tag)', (_id, tagSize, test) => {
    const key = Buffer.from(test.key, 'hex');
    const message = Buffer.from(test.msg, 'hex');
    const outcome = verify(scheme, message, headersWith(test.tag), [key]);
    if (tagSize === 256) {
      expect(outcome.ok).toBe(test.result === 'valid');
      if (!outcome.ok) expect(outcome.reason).toBe('signature_mismatch');
    } else {
      // Vendors send the full digest: a truncated tag is not a signature, valid prefix or not.
      expect(outcome).toMatchObject({ ok: false, reason: 'malformed_signature' });
    }
  });
});

describe('verify', () => {
  it('accepts lower-case hex, upper-case hex, base64 and the sha256= prefix', () => {
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    for (const value of [hex, hex.toUpperCase(), base64, `sha256=${hex}`, `SHA256=${base64}`, ` ${hex} `]) {
      expect(verify(scheme, body, headersWith(value), [secret])).toEqual({ ok: true, secretIndex: 0 });
    }
  });

  it('refuses as malformed a digest spelled with a character whose low byte is a hex digit', () => {
    // Node's hex decoder reads only the low byte of each character: "İ" (U+0130) would pass as "0".
    const spoofed = `${hex.slice(0, -2)}\u0130${hex.slice(-1)}`;
    expect(Buffer.from(spoofed, 'hex')).toHaveLength(32);
    expect(verify(scheme, body, headersWith(spoofed), [secret])).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });

  it('finds the header whatever its case, as Zapier and raw Node hand them over', () => {
    expect(verify(scheme, body, { 'X-TEST-SIGNATURE': hex }, [secret]).ok).toBe(true);
  });

  it('accepts any of several secrets and says which one matched (rotation)', () => {
    expect(verify(scheme, body, headersWith(hex), ['old-secret', secret])).toEqual({ ok: true, secretIndex: 1 });
    expect(verify(scheme, body, headersWith(hex), ['', secret])).toEqual({ ok: true, secretIndex: 1 });
    expect(verify(scheme, body, headersWith(hex), ['old-secret', 'other']).ok).toBe(false);
  });

  it('rejects a tag with any single bit flipped, for every bit', () => {
    const digest = Buffer.from(hex, 'hex');
    for (let bit = 0; bit < digest.length * 8; bit += 1) {
      const flipped = Buffer.from(digest);
      flipped.writeUInt8(flipped.readUInt8(bit >> 3) ^ (1 << (bit & 7)), bit >> 3);
      const outcome = verify(scheme, body, headersWith(flipped.toString('hex')), [secret]);
      expect(outcome).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    }
  });

  it('agrees with an independent HMAC for bodies of every size from 0 to 300 bytes and around block edges', () => {
    const sizes = [...Array.from({ length: 301 }, (_, i) => i), 1023, 1024, 1025, 65_535, 65_536, 65_537];
    for (const size of sizes) {
      const message = Buffer.alloc(size, size % 251);
      const expected = referenceHmacSha256(Buffer.from(secret), message).toString('hex');
      expect(sign(scheme, message, secret)).toBe(expected);
      expect(verify(scheme, message, headersWith(expected), [secret]).ok).toBe(true);
    }
  });

  it('signs base64 for schemes that say so', () => {
    const base64Scheme: SignatureScheme = { header: 'X-Test-Signature', encoding: 'base64' };
    expect(sign(base64Scheme, body, secret)).toBe(Buffer.from(hex, 'hex').toString('base64'));
  });

  it('fails closed without a secret, whatever the header says', () => {
    for (const secrets of [[], [''], ['', '']]) {
      expect(verify(scheme, body, headersWith(hex), secrets)).toMatchObject({ ok: false, reason: 'no_secret' });
    }
  });

  it('never throws and never accepts on arbitrary bytes and headers', () => {
    const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.dictionary(fc.oneof(fc.constant('x-test-signature'), fc.string()), headerValue),
        fc.array(fc.string(), { maxLength: 3 }),
        (bytes, headers, secrets) => {
          const outcome = verify(scheme, bytes, headers, secrets);
          if (outcome.ok) {
            // Only a real signature by one of the secrets may pass.
            const value = headers['x-test-signature'];
            const given = typeof value === 'string' ? decodeSignature(value) : undefined;
            expect(given).toBeDefined();
            expect(given?.equals(referenceHmacSha256(Buffer.from(secrets[outcome.secretIndex] ?? ''), bytes))).toBe(true);
          } else {
            expect(VERIFY_FAILURES).toContain(outcome.reason);
            // Without a usable secret nothing else is looked at.
            if (secrets.every((candidate) => candidate === '')) expect(outcome.reason).toBe('no_secret');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every body signed by the vendor and rejects every change to it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.string({ minLength: 1 }), fc.nat(), (bytes, key, at) => {
        const value = sign(scheme, bytes, key);
        expect(verify(scheme, bytes, headersWith(value), [key]).ok).toBe(true);
        const tampered = Buffer.from(bytes);
        tampered.writeUInt8(tampered.readUInt8(at % tampered.length) ^ 0x01, at % tampered.length);
        expect(verify(scheme, tampered, headersWith(value), [key])).toMatchObject({ reason: 'signature_mismatch' });
      }),
      { numRuns: 1000 },
    );
  });
});
