import { deliveryHeaders, freshSample, receive, replayWindow, VENDOR_IDS, VENDORS, type VendorDefinition } from '../../shared';

const SECRET = 'whsec_replay';
const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutes = (count: number) => new Date(NOW.getTime() + count * 60_000);

/** A Convo delivery whose signed timestamp is `timestamp` (or the field left out), signed as Convo signs it. */
function convoAt(timestamp: unknown) {
  const vendor = VENDORS.convo as VendorDefinition;
  const { timestamp: _fixed, ...sample } = vendor.events['transcript.ready']!.sample as Record<string, unknown>;
  const body = Buffer.from(JSON.stringify(timestamp === undefined ? sample : { ...sample, timestamp }));
  return { vendor, body, headers: deliveryHeaders(vendor, body, SECRET, 'transcript.ready') };
}

const receiveConvo = (timestamp: unknown, windowMinutes = 5) => {
  const { vendor, body, headers } = convoAt(timestamp);
  return receive(vendor, body, headers, { secrets: [SECRET], replayWindow: { minutes: windowMinutes, now: NOW } });
};

describe('the replay window by default', () => {
  it.each(VENDOR_IDS)('lets a genuine %s delivery through however late it comes: a backlog or a clock off is no replay', (id) => {
    const vendor = VENDORS[id] as VendorDefinition;
    for (const event of Object.keys(vendor.events)) {
      for (const at of [minutes(-90), minutes(0), minutes(30)]) {
        const body = Buffer.from(JSON.stringify(freshSample(vendor, event, { id: 'evt-1', at })));
        const receipt = receive(vendor, body, deliveryHeaders(vendor, body, SECRET, event), { secrets: [SECRET], replayWindow: replayWindow(undefined, NOW) });
        expect(receipt).toMatchObject({ ok: true, verified: true });
      }
    }
  });
});

describe('replayWindow', () => {
  it('takes a whole number of minutes, as a number or as text', () => {
    expect(replayWindow(15, NOW)).toEqual({ minutes: 15, now: NOW });
    expect(replayWindow(' 15 ', NOW)).toEqual({ minutes: 15, now: NOW });
    expect(replayWindow(0, NOW)).toEqual({ minutes: 0, now: NOW });
    expect(replayWindow('0', NOW)).toEqual({ minutes: 0, now: NOW });
  });

  it.each([undefined, null, '', 'ten', -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '5 minutes', { minutes: 10 }, [10], true])(
    'takes %p for the default, off',
    (setting) => {
      expect(replayWindow(setting, NOW).minutes).toBe(0);
    },
  );
});

describe('receive with a replay window', () => {
  it('accepts a signed timestamp inside the window, either side of now', () => {
    for (const offset of [-5, -4.9, 0, 4.9, 5]) expect(receiveConvo(minutes(offset).toISOString())).toMatchObject({ ok: true });
  });

  it('refuses an old signed timestamp with 401 stale_event, naming it and the window', () => {
    expect(receiveConvo(minutes(-5.5).toISOString())).toEqual({
      ok: false,
      status: 401,
      reason: 'stale_event',
      message: 'The signed "timestamp" 2026-12-01T11:54:30.000Z is 330 seconds old, outside the 5-minute replay window.',
    });
    expect(receiveConvo('2026-03-19T14:30:00.000Z')).toMatchObject({ reason: 'stale_event', message: expect.stringContaining('is 256 days old') });
    expect(receiveConvo(minutes(-90).toISOString(), 60)).toMatchObject({ message: expect.stringContaining('is 90 minutes old, outside the 60-minute replay window') });
  });

  it('refuses a signed timestamp too far ahead of the clock', () => {
    expect(receiveConvo(minutes(180).toISOString())).toEqual({
      ok: false,
      status: 401,
      reason: 'stale_event',
      message: `The signed "timestamp" 2026-12-01T15:00:00.000Z is 3 hours ahead of this server's clock, outside the 5-minute replay window.`,
    });
  });

  it('reads zone offsets and fractions of a second as the vendors write them', () => {
    expect(receiveConvo('2026-12-01T13:01:00+01:00')).toMatchObject({ ok: true });
    expect(receiveConvo('2026-12-01T11:59:59.123456Z')).toMatchObject({ ok: true });
  });

  it('refuses a signed body it cannot place in time, and says why', () => {
    expect(receiveConvo(undefined)).toEqual({
      ok: false,
      status: 401,
      reason: 'stale_event',
      message: 'The signed body has no timestamp ("timestamp"), so it cannot be placed inside the 5-minute replay window.',
    });
    const unplaceable: [unknown, string][] = [
      ['2026-12-01T12:00:00', '"2026-12-01T12:00:00", not an ISO 8601 date-time with a time zone'],
      ['yesterday', '"yesterday", not an ISO 8601'],
      ['2026-13-45T99:00:00Z', '"2026-13-45T99:00:00Z", not an ISO 8601'],
      [1764590400, 'a number, not an ISO 8601'],
      [null, 'null, not an ISO 8601'],
      [{ at: 'now' }, 'an object, not an ISO 8601'],
    ];
    for (const [timestamp, said] of unplaceable) expect(receiveConvo(timestamp)).toMatchObject({ status: 401, reason: 'stale_event', message: expect.stringContaining(said) });
  });

  it('checks nothing with a window of 0, or without one', () => {
    expect(receiveConvo('2020-01-01T00:00:00Z', 0)).toMatchObject({ ok: true });
    const { vendor, body, headers } = convoAt('2020-01-01T00:00:00Z');
    expect(receive(vendor, body, headers, { secrets: [SECRET] })).toMatchObject({ ok: true });
  });

  it('answers a bad signature or body first: the timestamp is read only once the signature vouches for it', () => {
    const { vendor, body } = convoAt('2020-01-01T00:00:00Z');
    const replay = { minutes: 5, now: NOW };
    expect(receive(vendor, body, deliveryHeaders(vendor, body, 'attacker', undefined), { secrets: [SECRET], replayWindow: replay })).toMatchObject({ reason: 'signature_mismatch' });
    const notJson = Buffer.from('not json');
    expect(receive(vendor, notJson, deliveryHeaders(vendor, notJson, SECRET, undefined), { secrets: [SECRET], replayWindow: replay })).toMatchObject({ status: 400, reason: 'invalid_json' });
  });

  it('does not check an unverified delivery, whose timestamp anyone could have written', () => {
    const vendor = VENDORS.konvox as VendorDefinition;
    const body = Buffer.from(JSON.stringify(vendor.events['contact.replied']!.sample));
    expect(receive(vendor, body, {}, { secrets: [], verification: 'disabled', replayWindow: { minutes: 5, now: NOW } })).toMatchObject({ ok: true, verified: false });
  });
});
