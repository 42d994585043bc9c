import { deliveryHeaders, VENDORS, type VendorDefinition } from '../../shared';
import { call } from '../support/http';
import { APPS, captureLog, fireAndCatch, keyPaths, loopback, refusalOf, testerFor, triggerOf, zapierRawRequest } from './harness';

const env = loopback();

const SECRET = 'whsec_zapier_static_hook';
const MANUAL_VENDORS = ['konver', 'kolvera', 'konvox'] as const;
type ManualVendor = (typeof MANUAL_VENDORS)[number];
const EVERY_TRIGGER = MANUAL_VENDORS.flatMap((vendorId) => Object.keys(VENDORS[vendorId].events).map((event) => [vendorId, event] as const));

/**
 * What the user does with a static hook: paste the Zap's URL into the vendor's settings and
 * tick the event; the simulator then delivers, signed, as the vendor would.
 */
async function deliveredTo(vendorId: ManualVendor, eventName: string, secret = SECRET) {
  await call('POST', `${env.sim.url}/_control/webhooks`, { vendor: vendorId, url: env.receiver.url, events: [eventName], secret });
  return fireAndCatch(env, vendorId, eventName);
}

describe.each(EVERY_TRIGGER)('%s static hook trigger for %s', (vendorId, eventName) => {
  it('turns a delivery signed with the connection secret into the typed item', async () => {
    const run = testerFor(APPS[vendorId]);
    const delivery = await deliveredTo(vendorId, eventName);
    const trigger = triggerOf(APPS[vendorId], eventName);
    const items = await run(trigger.perform, { authData: { secret: SECRET }, rawRequest: zapierRawRequest(delivery) });
    const { id: payloadId, ...fields } = JSON.parse(delivery.body.toString('utf8'));
    expect(items).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^${vendorId}:`)),
        ...fields,
        convhooks: { vendor: vendorId, event: eventName, verified: true, payloadId: payloadId ?? null, schemaIssues: [] },
      },
    ]);
    expect(keyPaths(items[0]).sort()).toEqual(keyPaths(trigger.sample).sort());
  });
});

describe.each(MANUAL_VENDORS)('%s static hooks', (vendorId) => {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const app = APPS[vendorId];
  const [eventName, otherEvent] = Object.keys(vendor.events) as [string, string];
  const trigger = triggerOf(app, eventName);
  const run = testerFor(app);

  async function performLogged(bundle: Record<string, unknown>) {
    const log = captureLog();
    try {
      return { items: await run(trigger.perform, bundle), log: log.lines };
    } finally {
      log.restore();
    }
  }

  it('halts a forged, unsigned or wrongly keyed request with its reason, in the Zap history and the log', async () => {
    const delivery = await deliveredTo(vendorId, eventName);
    const body = delivery.body.toString('utf8');
    const forged = body.replace(/"data":\{/, '"data":{"forged":true,');
    expect(forged).not.toBe(body);
    const cases = [
      { bundle: { authData: { secret: SECRET }, rawRequest: zapierRawRequest(delivery, { content: forged }) }, reason: 'signature_mismatch' },
      { bundle: { authData: { secret: SECRET }, rawRequest: zapierRawRequest(delivery, { drop: vendor.signature.header }) }, reason: 'missing_signature' },
      { bundle: { authData: { secret: 'not-the-secret' }, rawRequest: zapierRawRequest(delivery) }, reason: 'signature_mismatch' },
      { bundle: { authData: {}, rawRequest: zapierRawRequest(delivery) }, reason: 'no_secret' },
    ];
    for (const { bundle, reason } of cases) {
      const { halted, log } = await refusalOf(() => run(trigger.perform, bundle));
      expect(halted).toContain(`refused (${reason})`);
      expect(log).toEqual([expect.stringContaining(reason)]);
    }
  });

  it('ignores a signed delivery of another event, and says so', async () => {
    const delivery = await deliveredTo(vendorId, otherEvent);
    const { items, log } = await performLogged({ authData: { secret: SECRET }, rawRequest: zapierRawRequest(delivery) });
    expect(items).toEqual([]);
    expect(log).toEqual([expect.stringContaining(`not ${eventName}`)]);
  });

  it('accepts the previous secret during a rotation', async () => {
    const delivery = await deliveredTo(vendorId, eventName, 'whsec_old');
    const { items } = await performLogged({ authData: { secret: SECRET, previousSecret: 'whsec_old' }, rawRequest: zapierRawRequest(delivery) });
    expect(items).toHaveLength(1);
  });

  it('takes a delivery with the doc’s fixed timestamp by default, and drops it once the connection sets a window', async () => {
    const body = Buffer.from(JSON.stringify(vendor.events[eventName]!.sample));
    const rawRequest = zapierRawRequest({ headers: deliveryHeaders(vendor, body, SECRET, eventName), body });
    expect((await performLogged({ authData: { secret: SECRET }, rawRequest })).items).toHaveLength(1);
    const windowed = await refusalOf(() => run(trigger.perform, { authData: { secret: SECRET, replayWindowMinutes: '10' }, rawRequest }));
    expect(windowed).toEqual({ halted: expect.stringContaining('(stale_event): The signed "timestamp"'), log: [expect.stringContaining('stale_event: The signed "timestamp"')] });
    const fresh = await deliveredTo(vendorId, eventName);
    expect((await performLogged({ authData: { secret: SECRET, replayWindowMinutes: '10' }, rawRequest: zapierRawRequest(fresh) })).items).toHaveLength(1);
  });

  it('performList returns the documented sample with the same keys as perform', async () => {
    const delivery = await deliveredTo(vendorId, eventName);
    const [hooked] = await run(trigger.perform, { authData: { secret: SECRET }, rawRequest: zapierRawRequest(delivery) });
    const listed = await run(trigger.performList, { authData: { secret: SECRET } });
    expect(listed).toEqual([trigger.sample]);
    expect(listed[0]).toMatchObject({ convhooks: { verified: false } });
    expect(keyPaths(listed[0]).sort()).toEqual(keyPaths(hooked).sort());
  });

  it('checks the connection fields it can check without an API', async () => {
    const test = app.authentication!.test as Parameters<typeof run>[0];
    await expect(run(test, { authData: { secret: SECRET } })).resolves.toEqual({ label: `${vendor.name} webhooks, signed` });
    await expect(run(test, { authData: { secret: '' } })).rejects.toThrow(/Paste the Webhook Secret/);
    await expect(run(test, { authData: { secret: ` ${SECRET}` } })).rejects.toThrow(/white space/);
  });

  if (vendor.signature.headerAssumed) {
    it('reads the signature from the header the connection names', async () => {
      const delivery = await deliveredTo(vendorId, eventName);
      const renamed = zapierRawRequest(delivery, { drop: vendor.signature.header });
      renamed.headers['Http-X-Account-Signature'] = String(delivery.headers[vendor.signature.header.toLowerCase()]);
      const { items } = await performLogged({ authData: { secret: SECRET, signatureHeader: 'X-Account-Signature' }, rawRequest: renamed });
      expect(items).toHaveLength(1);
    });
  } else {
    it('keeps to the header the doc names, whatever header the connection names', async () => {
      const delivery = await deliveredTo(vendorId, eventName);
      const { items } = await performLogged({ authData: { secret: SECRET, signatureHeader: 'X-Account-Signature' }, rawRequest: zapierRawRequest(delivery) });
      expect(items).toHaveLength(1);
    });
  }

  it('takes a connection header that is not a string for the vendor header, without throwing', async () => {
    const delivery = await deliveredTo(vendorId, eventName);
    for (const signatureHeader of [42, { name: 'X-Other' }, ['X-Other']]) {
      const { items } = await performLogged({ authData: { secret: SECRET, signatureHeader }, rawRequest: zapierRawRequest(delivery) });
      expect(items).toHaveLength(1);
      const unsigned = await refusalOf(() => run(trigger.perform, { authData: { secret: SECRET, signatureHeader }, rawRequest: zapierRawRequest(delivery, { drop: vendor.signature.header }) }));
      expect(unsigned.log).toEqual([expect.stringContaining(`missing_signature: The request has no ${vendor.signature.header} header.`)]);
    }
  });

  if (vendor.signature.mayBeUnsigned) {
    it('runs without verification only when the connection says so, and marks the items', async () => {
      const delivery = await deliveredTo(vendorId, eventName);
      const unsigned = zapierRawRequest(delivery, { drop: vendor.signature.header });
      const { items } = await performLogged({ authData: { secret: '', verification: 'disabled' }, rawRequest: unsigned });
      expect(items).toEqual([expect.objectContaining({ convhooks: expect.objectContaining({ verified: false }) })]);
      const test = app.authentication!.test as Parameters<typeof run>[0];
      await expect(run(test, { authData: { verification: 'disabled' } })).resolves.toEqual({ label: `${vendor.name} webhooks, NOT verified` });
    });
  }
});
