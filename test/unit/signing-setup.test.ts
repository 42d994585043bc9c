import { deliveryHeaders, receive, signatureHeaderOverride, signingReceiveOptions, signingSetupProblem, verificationOff, VENDORS, type SigningSetup, type VendorDefinition } from '../../shared';

const NAMED = [VENDORS.konver, VENDORS.kolvera, VENDORS.convo] as VendorDefinition[];
const ASSUMED = [VENDORS.converc, VENDORS.konvox] as VendorDefinition[];
/** What an imported workflow or connection may hold where a header name belongs. */
const NOT_A_HEADER: unknown[] = [42, 0, true, null, { name: 'X-Other' }, ['X-Other'], '', '   '];

describe('signatureHeaderOverride', () => {
  it.each(NAMED.map((vendor) => [vendor.name, vendor] as const))('ignores any header named for %s, whose doc names its own', (_name, vendor) => {
    expect(signatureHeaderOverride(vendor, 'X-Other')).toBeUndefined();
    expect(signingReceiveOptions(vendor, { secret: 's', signatureHeader: 'X-Other' }).signatureHeader).toBeUndefined();
  });

  it.each(ASSUMED.map((vendor) => [vendor.name, vendor] as const))('honours a header named for %s, whose doc names none', (_name, vendor) => {
    expect(signatureHeaderOverride(vendor, ' X-Other ')).toBe('X-Other');
    expect(signingReceiveOptions(vendor, { secret: 's', signatureHeader: 'X-Other' }).signatureHeader).toBe('X-Other');
  });

  it.each(NOT_A_HEADER.map((value) => [JSON.stringify(value), value] as const))('takes %s for the vendor header', (_shown, value) => {
    for (const vendor of ASSUMED) expect(signatureHeaderOverride(vendor, value)).toBeUndefined();
  });

  it('lets receive verify under the vendor header, or refuse with 401 naming it, whatever the setting holds', () => {
    const vendor = VENDORS.konvox as VendorDefinition;
    const body = Buffer.from(JSON.stringify(vendor.events['contact.replied']!.sample));
    const headers = deliveryHeaders(vendor, body, 's', 'contact.replied');
    for (const value of NOT_A_HEADER) {
      const options = signingReceiveOptions(vendor, { secret: 's', signatureHeader: value } as SigningSetup);
      expect(receive(vendor, body, headers, options)).toMatchObject({ ok: true, verified: true });
      expect(receive(vendor, body, {}, options)).toEqual({ ok: false, status: 401, reason: 'missing_signature', message: 'The request has no X-Konvox-Signature header.' });
    }
  });
});

describe('verificationOff', () => {
  it('turns verification off only for Konvox, whose doc describes no signature, whatever an imported setup holds', () => {
    const off = Object.values(VENDORS).filter((vendor) => verificationOff(vendor as VendorDefinition, { verification: 'disabled' }));
    expect(off.map((vendor) => vendor.id)).toEqual(['konvox']);
    expect(verificationOff(VENDORS.konvox as VendorDefinition, { verification: 'required' })).toBe(false);
    expect(signingSetupProblem(VENDORS.konver as VendorDefinition, { secret: '', verification: 'disabled' })).toMatch(/Konver signs every delivery/);
    expect(signingSetupProblem(VENDORS.konvox as VendorDefinition, { secret: '', verification: 'disabled' })).toBeUndefined();
  });
});
