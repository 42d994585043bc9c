import { deliveryHeaders, VENDOR_IDS, VENDORS, type VendorDefinition, type VendorId } from '../../shared';
import { claimSeconds, retrySpanMs } from '../../zapier-app/src/dedupe';
import { APPS, captureLog, testerFor, triggerOf, zapierRawRequest } from './harness';
import { zcache } from './zcache-stand-in';

// Zapier's cache service is the one part stood in for; see zcache-stand-in.ts.
jest.mock('zapier-platform-core/src/tools/create-rpc-client', () => jest.requireActual('./zcache-stand-in').createRpcClient);

const SECRET = 'whsec_zapier_claims';

/** A bundle as Zapier hands a signed delivery of `payload` to `perform`, on one connection. */
function bundleFor(vendorId: VendorId, eventName: string, payload: unknown, connection = 'one') {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const body = Buffer.from(JSON.stringify(payload));
  const rawRequest = zapierRawRequest({ headers: deliveryHeaders(vendor, body, SECRET, eventName), body });
  // The documented samples carry fixed, old timestamps: the replay window is another test's subject.
  const settings = { replayWindowMinutes: '0', connection };
  if (vendor.registration.kind === 'api') return { authData: { apiKey: `key-${connection}`, ...settings }, subscribeData: { id: 'wh_1', secret: SECRET }, rawRequest };
  // A static hook knows its Zap only by the id Zapier passes in `meta`.
  return { authData: { secret: SECRET, ...settings }, rawRequest, meta: { zap: { id: 'zap-1' } } };
}

/** The vendor's documented event, and another event of the same type with its own dedupe key. */
function twoEvents(vendorId: VendorId) {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const [eventName, event] = Object.entries(vendor.events)[0]!;
  const sample = event.sample as Record<string, unknown>;
  const other = { ...sample, [vendor.dedupe.idField ?? vendor.timestampField]: `${String(sample[vendor.dedupe.idField ?? vendor.timestampField])}-other` };
  return { eventName, sample, other };
}

async function performLogged(vendorId: VendorId, eventName: string, bundle: Record<string, unknown>) {
  const log = captureLog();
  try {
    return { items: await testerFor(APPS[vendorId])(triggerOf(APPS[vendorId], eventName).perform, bundle), log: log.lines };
  } finally {
    log.restore();
  }
}

beforeEach(() => zcache.reset());

describe('the claim on a delivery', () => {
  it('lives for Konvox’s whole retry span: four 10 s attempts and waits of 30, 60 and 120 s', () => {
    expect(retrySpanMs(VENDORS.konvox.delivery)).toBe(4 * 10_000 + 30_000 + 60_000 + 120_000);
    expect(retrySpanMs(VENDORS.convo.delivery)).toBe(10_000);
  });

  it('lives at least an hour, and longer where a vendor retries for longer', () => {
    expect(claimSeconds(VENDORS.konvox)).toBe(3600);
    const slow = { ...VENDORS.konvox, delivery: { maxAttempts: 6, backoff: { kind: 'exponential', initialDelayMs: 60_000, factor: 3 }, timeoutMs: 30_000 } } as const;
    expect(claimSeconds(slow)).toBe((6 * 30_000 + 60_000 * (1 + 3 + 9 + 27 + 81)) / 1000);
  });
});

describe('a Konvox delivery sent twice', () => {
  const { eventName, sample, other } = twoEvents('konvox');

  it('runs the Zap once: one item, then none and a log line', async () => {
    const first = await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample));
    expect(first.items).toHaveLength(1);
    const retry = await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample));
    expect(retry).toEqual({ items: [], log: [expect.stringContaining('an earlier delivery of it already ran this Zap')] });
    // Claimed for this connection, under the app's own prefix, for the vendor's claim time.
    expect(zcache.matching(`|convhooks:delivery:${eventName}:`)).toEqual([expect.objectContaining({ ttl: claimSeconds(VENDORS.konvox) })]);
    expect([...zcache.entries.keys()]).toEqual([expect.stringMatching(/^auth=\{.*\}\|convhooks:delivery:/)]);
  });

  it('does not hide a different event', async () => {
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample))).items).toHaveLength(1);
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, other))).items).toHaveLength(1);
  });

  it('runs once for each connection: claims are not shared between authentications', async () => {
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample, 'one'))).items).toHaveLength(1);
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample, 'two'))).items).toHaveLength(1);
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample, 'two'))).items).toEqual([]);
  });

  it('runs once for each Zap of one connection', async () => {
    const inZap = (id: string) => ({ ...bundleFor('konvox', eventName, sample), meta: { zap: { id } } });
    expect((await performLogged('konvox', eventName, inZap('z1'))).items).toHaveLength(1);
    expect((await performLogged('konvox', eventName, inZap('z2'))).items).toHaveLength(1);
    expect((await performLogged('konvox', eventName, inZap('z2'))).items).toEqual([]);
  });

  it('runs every delivery where Zapier names no Zap, rather than let one Zap of a connection hide the event from another', async () => {
    const { meta: _zap, ...unnamed } = bundleFor('konvox', eventName, sample);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { items, log } = await performLogged('konvox', eventName, unnamed);
      expect(items).toHaveLength(1);
      expect(log).toEqual([expect.stringContaining('unchecked for repeats, Zapier named no Zap')]);
    }
  });

  it.each([
    ['throws', () => { throw new Error('RPC request failed after 3 attempts: Unable to reach the RPC server'); }, /z\.cache failed: RPC request failed/],
    ['refuses the write (rate limit)', () => false, /z\.cache answered false/],
    ['answers something unexpected', () => 'OK', /z\.cache answered "OK"/],
  ])('still runs the Zap, every time, when the cache %s', async (_, fault, why) => {
    zcache.fault = fault;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { items, log } = await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample));
      expect(items).toHaveLength(1);
      expect(log).toEqual([expect.stringMatching(why)]);
    }
  });
});

describe.each(VENDOR_IDS)('%s deliveries', (vendorId) => {
  const { eventName, sample, other } = twoEvents(vendorId);

  it('are deduplicated: a repeat yields nothing, another event an item', async () => {
    expect((await performLogged(vendorId, eventName, bundleFor(vendorId, eventName, sample))).items).toHaveLength(1);
    expect((await performLogged(vendorId, eventName, bundleFor(vendorId, eventName, sample))).items).toEqual([]);
    expect((await performLogged(vendorId, eventName, bundleFor(vendorId, eventName, other))).items).toHaveLength(1);
  });
});

describe('a refused delivery', () => {
  const { eventName, sample } = twoEvents('konvox');
  const forged = () => {
    const bundle = bundleFor('konvox', eventName, sample);
    return { ...bundle, rawRequest: { ...bundle.rawRequest, content: bundle.rawRequest.content.replace('{', '{"forged":true,') } };
  };

  it('halts the run with its reason once an hour, and only logs the rest, so forgeries cannot flood the Zap history', async () => {
    const first = performLogged('konvox', eventName, forged());
    await expect(first).rejects.toMatchObject({ name: 'HaltedError', message: expect.stringContaining('refused (signature_mismatch)') });
    expect(await performLogged('konvox', eventName, forged())).toEqual({ items: [], log: [expect.stringContaining('signature_mismatch')] });
    expect(zcache.matching('convhooks:refusal:')).toEqual([expect.objectContaining({ ttl: 3600 })]);
    // Another reason is news, and shows.
    const unsigned = { ...bundleFor('konvox', eventName, sample), rawRequest: undefined };
    await expect(performLogged('konvox', eventName, unsigned)).rejects.toMatchObject({ name: 'HaltedError', message: expect.stringContaining('no_raw_body') });
  });

  it('shows every time while the cache fails', async () => {
    zcache.fault = () => {
      throw new Error('down');
    };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(performLogged('konvox', eventName, forged())).rejects.toMatchObject({ name: 'HaltedError' });
    }
  });

  it('claims nothing, so the genuine delivery still runs', async () => {
    await expect(performLogged('konvox', eventName, forged())).rejects.toMatchObject({ name: 'HaltedError' });
    expect((await performLogged('konvox', eventName, bundleFor('konvox', eventName, sample))).items).toHaveLength(1);
  });
});
