import { parseEvent, verify, VENDORS, VENDOR_IDS, type VendorId } from '../../shared';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { bearer, call } from '../support/http';
import { startReceiver, type Receiver } from '../support/receiver';

let sim: RunningSimulator;
let receiver: Receiver;
const TIME_SCALE = 0.002; // Konvox's 30 s first retry becomes 60 ms.

beforeAll(async () => {
  sim = await startSimulator({ timeScale: TIME_SCALE, deliveryTimeoutMs: 500 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await call('POST', `${sim.url}/_control/reset`);
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

const converc = (path: string) => `${sim.url}/converc${path}`;
const convo = (path: string) => `${sim.url}/convo${path}`;
const CONVERC_KEY = bearer('sim-converc-key');
const CONVO_KEY = bearer('sim-convo-key');
const fire = (body: Record<string, unknown>) => call('POST', `${sim.url}/_control/fire`, { wait: true, ...body });
const configure = (vendor: VendorId, body: Record<string, unknown> = {}) =>
  call('POST', `${sim.url}/_control/webhooks`, { vendor, url: receiver.url, ...body });

function verified(vendor: VendorId, index: number, secret: string) {
  const request = receiver.received[index];
  if (!request) throw new Error(`no request ${index}`);
  return verify(VENDORS[vendor].signature, request.body, request.headers, [secret]);
}

describe('API call counts', () => {
  it('counts every request each vendor API answered, refused ones too, until a reset', async () => {
    await call('GET', converc('/integrations/webhooks'), undefined, CONVERC_KEY);
    await call('GET', converc('/integrations/webhooks'));
    await call('GET', convo('/api/v1/webhooks'), undefined, CONVO_KEY);
    expect((await call('GET', `${sim.url}/_control/api-calls`)).body).toEqual({ converc: 2, convo: 1 });
    await call('POST', `${sim.url}/_control/reset`);
    expect((await call('GET', `${sim.url}/_control/api-calls`)).body).toEqual({});
  });
});

describe('Converc API', () => {
  it('refuses requests without a valid Bearer key', async () => {
    expect(await call('GET', converc('/integrations/webhooks'))).toMatchObject({ status: 401, body: { error: expect.stringMatching(/Bearer/) } });
    expect(await call('GET', converc('/integrations/webhooks'), undefined, bearer('wrong'))).toMatchObject({ status: 401, body: { error: 'Invalid API key.' } });
  });

  it('answers bad subscriptions with a 400 that says what is wrong', async () => {
    const post = (body: unknown) => call('POST', converc('/integrations/webhooks'), body, CONVERC_KEY);
    expect(await post({ url: 'not a url' })).toMatchObject({ status: 400, body: { error: '"url" is not a valid URL: not a url' } });
    expect(await post({ url: 'ftp://x.example/hook' })).toMatchObject({ status: 400, body: { error: '"url" must use http or https.' } });
    expect(await post({ url: receiver.url, events: ['call.started'] })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^Unknown event "call.started". Known events: call.ended, /) },
    });
    expect(await post({ events: ['call.ended'] })).toMatchObject({ status: 400, body: { error: '"url" is required.' } });
  });

  it('creates, lists, tests and disables a webhook as documented', async () => {
    const created = await call('POST', converc('/integrations/webhooks'), { url: receiver.url, events: ['call.ended'] }, CONVERC_KEY);
    expect(created).toMatchObject({ status: 201, body: { webhook: { url: receiver.url, events: ['call.ended'], isActive: true }, secret: expect.any(String) } });
    const { id } = created.body.webhook;
    const parsed = VENDORS.converc.registration.kind === 'api' && VENDORS.converc.registration.api.createdResponse.safeParse(created.body);
    expect(parsed && parsed.success && parsed.data.subscription).toEqual({ id, url: receiver.url, events: ['call.ended'], active: true });

    const listed = await call('GET', converc('/integrations/webhooks'), undefined, CONVERC_KEY);
    expect(listed.body.webhooks).toEqual([expect.objectContaining({ id, isActive: true })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const tested = await call('POST', converc('/integrations/webhooks/test'), { webhookId: id }, CONVERC_KEY);
    expect(tested).toMatchObject({ status: 200, body: { ok: true, status: 200, error: null } });
    expect(verified('converc', 0, created.body.secret)).toEqual({ ok: true, secretIndex: 0 });
    expect(parseEvent(VENDORS.converc, receiver.received[0]!.body)).toMatchObject({ ok: true, issues: [], event: { type: 'webhook.test' } });

    const disabled = await call('DELETE', converc(`/integrations/webhooks/${id}`), undefined, CONVERC_KEY);
    expect(disabled).toMatchObject({ status: 200, body: { ok: true, webhookId: id, isActive: false } });
    const after = await call('GET', converc('/integrations/webhooks'), undefined, CONVERC_KEY);
    expect(after.body.webhooks).toEqual([expect.objectContaining({ id, isActive: false })]);
    await fire({ vendor: 'converc', event: 'call.ended' });
    expect(receiver.received).toHaveLength(1);
    expect(await call('DELETE', converc('/integrations/webhooks/nope'), undefined, CONVERC_KEY)).toMatchObject({ status: 404 });
  });

  it('sends every event to a webhook created without events', async () => {
    const created = await call('POST', converc('/integrations/webhooks'), { url: receiver.url }, CONVERC_KEY);
    expect(created.body.webhook.events).toEqual(Object.keys(VENDORS.converc.events));
    await fire({ vendor: 'converc', events: [{ event: 'call.ended' }, { event: 'call.transcript_ready' }] });
    expect(receiver.received.map((r) => JSON.parse(r.body.toString()).type)).toEqual(['call.ended', 'call.transcript_ready']);
  });

  it('serves recent events by type for polling, newest first, limited by display', async () => {
    await fire({ vendor: 'converc', events: [{ event: 'call.ended' }, { event: 'call.recording_ready' }, { event: 'call.ended' }] });
    const recent = await call('GET', converc('/webhooks/events?eventType=call.ended&display=1'), undefined, CONVERC_KEY);
    expect(recent.status).toBe(200);
    expect(recent.body).toHaveLength(1);
    expect(recent.body[0]).toMatchObject({ type: 'call.ended', organizationId: 'org-uuid' });
    const all = await call('GET', converc('/webhooks/events?eventType=call.ended&display=4'), undefined, CONVERC_KEY);
    expect(all.body).toHaveLength(2);
    expect(all.body[0].id).toBe(recent.body[0].id);
    expect(await call('GET', converc('/webhooks/events?eventType=nope'), undefined, CONVERC_KEY)).toMatchObject({ status: 400 });
  });

  it('answers recent events as the doc shows them when strict: every type, and the doc\'s own element of another type with its garbled time', async () => {
    const strict = await startSimulator({ strict: true });
    try {
      await call('POST', `${strict.url}/_control/fire`, { vendor: 'converc', events: [{ event: 'call.ended' }, { event: 'call.recording_ready' }], wait: true });
      const recent = await call('GET', `${strict.url}/converc/webhooks/events?eventType=call.ended&display=4`, undefined, CONVERC_KEY);
      expect(recent.body.map((event: { type: string }) => event.type)).toEqual(['call.recording_ready', 'call.ended', 'call.event']);
      expect(recent.body[2]).toEqual({ id: 'event-uuid', type: 'call.event', createdAt: '2024-01-01T00: 00: 0002', organizationId: 'org-uuid', data: {} });
      const one = await call('GET', `${strict.url}/converc/webhooks/events?eventType=call.ended&display=1`, undefined, CONVERC_KEY);
      expect(one.body.map((event: { type: string }) => event.type)).toEqual(['call.recording_ready']);
    } finally {
      await strict.close();
    }
  });
});

describe('Convo API', () => {
  it('requires events, returns the secret once in data.secret, and deletes', async () => {
    const post = (body: unknown) => call('POST', convo('/api/v1/webhooks'), body, CONVO_KEY);
    expect(await post({ url: receiver.url })).toMatchObject({ status: 400, body: { error: '"events" must be a non-empty list of event names.' } });
    const created = await post({ url: receiver.url, events: ['transcript.ready', 'conversation.keypoints.ready'] });
    expect(created).toMatchObject({ status: 201, body: { data: { id: expect.any(String), secret: expect.any(String) } } });
    const { id, secret } = created.body.data;

    const listed = await call('GET', convo('/api/v1/webhooks'), undefined, CONVO_KEY);
    expect(listed.body.data).toEqual([expect.objectContaining({ id, url: receiver.url, events: ['transcript.ready', 'conversation.keypoints.ready'] })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const tested = await call('POST', convo(`/api/v1/webhooks/${id}/test`), undefined, CONVO_KEY);
    expect(tested).toMatchObject({ status: 200, body: { data: { ok: true, status: 200 } } });
    expect(receiver.received[0]!.headers['x-convo-event']).toBe('webhook.test');
    expect(verified('convo', 0, secret)).toEqual({ ok: true, secretIndex: 0 });

    await fire({ vendor: 'convo', events: [{ event: 'transcript.ready' }, { event: 'conversation.created' }] });
    expect(receiver.received.map((r) => r.headers['x-convo-event'])).toEqual(['webhook.test', 'transcript.ready']);

    expect(await call('DELETE', convo(`/api/v1/webhooks/${id}`), undefined, CONVO_KEY)).toMatchObject({ status: 200, body: { data: { id, deleted: true } } });
    expect((await call('GET', convo('/api/v1/webhooks'), undefined, CONVO_KEY)).body.data).toEqual([]);
    expect(await call('DELETE', convo(`/api/v1/webhooks/${id}`), undefined, CONVO_KEY)).toMatchObject({ status: 404 });
    expect(await call('POST', convo('/api/v1/webhooks/nope/test'), undefined, CONVO_KEY)).toMatchObject({ status: 404 });
  });

  it('delivers once and never retries a failed delivery', async () => {
    receiver.answer({ status: 500 });
    await configure('convo', { events: ['transcript.ready'] });
    const fired = await fire({ vendor: 'convo', event: 'transcript.ready' });
    expect(fired.body.attempts).toEqual([expect.objectContaining({ attempt: 1, status: 500, outcome: 'failed' })]);
    expect(receiver.received).toHaveLength(1);
  });
});

describe.each(VENDOR_IDS)('%s deliveries', (vendor) => {
  it('are signed with the webhook secret and parse into the documented events', async () => {
    const configured = await configure(vendor, { secret: `secret-${vendor}` });
    expect(configured.status).toBe(201);
    const events = Object.keys(VENDORS[vendor].events);
    const fired = await fire({ vendor, events: events.map((event) => ({ event })) });
    expect(fired.body.attempts).toHaveLength(events.length);
    expect(receiver.received).toHaveLength(events.length);
    const keys = new Set<string>();
    receiver.received.forEach((request, index) => {
      expect(request.headers['content-type']).toBe('application/json');
      expect(verified(vendor, index, `secret-${vendor}`)).toEqual({ ok: true, secretIndex: 0 });
      expect(verified(vendor, index, 'another-secret')).toMatchObject({ ok: false, reason: 'signature_mismatch' });
      const parsed = parseEvent(VENDORS[vendor], request.body, { headers: request.headers });
      expect(parsed).toMatchObject({ ok: true, issues: [], event: { type: events[index] } });
      if (parsed.ok) keys.add(parsed.dedupeKey);
    });
    expect(keys.size).toBe(events.length);
  });

  it('reach only webhooks subscribed to the event', async () => {
    const [first, second] = Object.keys(VENDORS[vendor].events);
    await configure(vendor, { events: [first] });
    await fire({ vendor, events: [{ event: second }, { event: first }] });
    expect(receiver.received.map((r) => JSON.parse(r.body.toString()))).toEqual([expect.objectContaining({ data: expect.anything() })]);
    const attempts = (await call('GET', `${sim.url}/_control/deliveries?vendor=${vendor}`)).body;
    expect(attempts).toEqual([expect.objectContaining({ event: first, outcome: 'delivered', status: 200 })]);
    expect(attempts[0].requestHeaders[VENDORS[vendor].signature.header.toLowerCase()]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(attempts[0].responseBody)).toEqual({ received: true, status: 200 });
  });
});

describe('Konvox retry policy', () => {
  it('retries a failed delivery with exponential backoff and the same signed body', async () => {
    receiver.answer({ status: 500 }, { status: 502 });
    await configure('konvox');
    const fired = await fire({ vendor: 'konvox', event: 'enrollment.created' });
    expect(fired.body.attempts.map((a: any) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 502, 'retrying'],
      [3, 200, 'delivered'],
    ]);
    const [one, two, three] = receiver.received;
    expect(two!.body.equals(one!.body) && three!.body.equals(one!.body)).toBe(true);
    expect(two!.headers['x-konvox-signature']).toBe(one!.headers['x-konvox-signature']);
    const firstGap = two!.at - one!.at;
    const secondGap = three!.at - two!.at;
    expect(firstGap).toBeGreaterThanOrEqual(30_000 * TIME_SCALE - 5);
    expect(secondGap).toBeGreaterThanOrEqual(60_000 * TIME_SCALE - 5);
  });

  it('gives up after the first attempt and 3 retries, and counts a timeout as a failure', async () => {
    receiver.answer({ status: 500 }, { status: 200, delayMs: 1500 }, { status: 500 }, { status: 503 });
    await configure('konvox');
    const fired = await fire({ vendor: 'konvox', event: 'contact.replied' });
    expect(fired.body.attempts.map((a: any) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, null, 'retrying'],
      [3, 500, 'retrying'],
      [4, 503, 'failed'],
    ]);
    expect(fired.body.attempts[1].error).toBe('no answer within 500 ms');
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After, 500 and 401 for as many requests as asked', async () => {
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'convo', status: 429, retryAfterSeconds: 7 });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'convo', status: 500, times: 2 });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'convo', status: 401 });
    const list = () => call('GET', convo('/api/v1/webhooks'), undefined, CONVO_KEY);
    const limited = await list();
    expect(limited).toMatchObject({ status: 429, body: { error: 'Too many requests.' } });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await list()).status).toBe(500);
    expect((await list()).status).toBe(500);
    expect((await list()).status).toBe(401);
    expect((await list()).status).toBe(200);
  });

  it('slows an API answer down', async () => {
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'converc', delayMs: 300 });
    const started = performance.now();
    expect((await call('GET', converc('/integrations/webhooks'), undefined, CONVERC_KEY)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('refuses faults it cannot inject, with a reason', async () => {
    expect(await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'konver', status: 500 })).toMatchObject({ status: 400, body: { error: 'Konver has no API to fail.' } });
    expect(await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'convo', status: 418 })).toMatchObject({ status: 400 });
    expect(await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'zoom', status: 500 })).toMatchObject({ status: 400, body: { error: `"vendor" must be one of ${VENDOR_IDS.join(', ')}.` } });
  });

  it('deletes a subscription behind the client’s back', async () => {
    const created = await call('POST', convo('/api/v1/webhooks'), { url: receiver.url, events: ['webhook.test'] }, CONVO_KEY);
    const { id } = created.body.data;
    expect(await call('DELETE', `${sim.url}/_control/webhooks/convo/${id}`)).toMatchObject({ status: 200 });
    expect((await call('GET', convo('/api/v1/webhooks'), undefined, CONVO_KEY)).body.data).toEqual([]);
  });

  it('duplicates deliveries', async () => {
    await configure('kolvera');
    await call('POST', `${sim.url}/_control/faults/delivery`, { vendor: 'kolvera', duplicate: true });
    await fire({ vendor: 'kolvera', event: 'meeting.booked' });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.body.equals(receiver.received[1]!.body)).toBe(true);
  });

  it('reorders a batch of deliveries', async () => {
    await configure('konver');
    await call('POST', `${sim.url}/_control/faults/delivery`, { vendor: 'konver', reorder: true });
    await fire({ vendor: 'konver', events: [{ event: 'person.created' }, { event: 'person.updated' }] });
    expect(receiver.received.map((r) => JSON.parse(r.body.toString()).eventType)).toEqual(['person.updated', 'person.created']);
  });

  it('loses the receiver’s answers, so the retry policy resends what already arrived', async () => {
    await configure('konvox');
    await call('POST', `${sim.url}/_control/faults/delivery`, { vendor: 'konvox', loseAnswers: 2 });
    const fired = await fire({ vendor: 'konvox', event: 'enrollment.completed' });
    expect(fired.body.attempts.map((a: any) => [a.status, a.error, a.outcome])).toEqual([
      [null, 'answer lost (injected fault)', 'retrying'],
      [null, 'answer lost (injected fault)', 'retrying'],
      [200, null, 'delivered'],
    ]);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body.toString())).size).toBe(1);
  });

  it('sends an exact raw body when asked, for hostile-input tests', async () => {
    await configure('konvox', { secret: 's' });
    await fire({ vendor: 'konvox', event: 'contact.replied', rawBody: '{"event": "contact.replied" ,"data":{}}' });
    expect(receiver.received[0]!.body.toString()).toBe('{"event": "contact.replied" ,"data":{}}');
    expect(verified('konvox', 0, 's')).toMatchObject({ ok: true });
  });
});

describe('delivery log', () => {
  it('numbers every attempt, and answers only those after a cursor or of the given deliveries', async () => {
    await configure('konver');
    const first = await fire({ vendor: 'konver', event: 'person.created' });
    const second = await fire({ vendor: 'konver', events: [{ event: 'person.updated' }, { event: 'company.created' }] });
    const log = (query: string) => call('GET', `${sim.url}/_control/deliveries${query}`).then((answer) => answer.body);
    const all = await log('');
    expect(all.map((attempt: { event: string }) => attempt.event)).toEqual(['person.created', 'person.updated', 'company.created']);
    const [one, two, three] = all.map((attempt: { seq: number }) => attempt.seq);
    expect([two - one, three - two]).toEqual([1, 1]);
    expect((await log(`?after=${one}`)).map((attempt: { seq: number }) => attempt.seq)).toEqual([two, three]);
    expect(await log(`?after=${three}`)).toEqual([]);
    const [created] = first.body.dispatched;
    const [, company] = second.body.dispatched;
    const picked = await log(`?deliveryId=${created.deliveryId}&deliveryId=${company.deliveryId}`);
    expect(picked.map((attempt: { event: string }) => attempt.event)).toEqual(['person.created', 'company.created']);
    expect(await call('GET', `${sim.url}/_control/deliveries?after=-1`)).toMatchObject({ status: 400, body: { error: '"after" must be a whole number.' } });
  });

  it('keeps counting after a reset, so a reader following the log misses nothing', async () => {
    await configure('kolvera');
    await fire({ vendor: 'kolvera', event: 'meeting.booked' });
    const [before] = (await call('GET', `${sim.url}/_control/deliveries`)).body;
    await call('POST', `${sim.url}/_control/reset`);
    await configure('kolvera');
    await fire({ vendor: 'kolvera', event: 'meeting.booked' });
    const after = (await call('GET', `${sim.url}/_control/deliveries?after=${before.seq}`)).body;
    expect(after).toEqual([expect.objectContaining({ seq: before.seq + 1, event: 'meeting.booked' })]);
  });
});

describe('resend', () => {
  it('sends a logged delivery again as a new delivery: the same body, signed with the webhook’s current secret', async () => {
    const { body: hook } = await configure('converc', { secret: 'first' });
    const fired = await fire({ vendor: 'converc', event: 'call.ended' });
    const [original] = fired.body.dispatched;
    const resent = await call('POST', `${sim.url}/_control/deliveries/${original.deliveryId}/resend`, { wait: true });
    expect(resent).toMatchObject({ status: 202, body: { dispatched: [{ webhookId: hook.id, event: 'call.ended' }], attempts: [{ attempt: 1, status: 200, outcome: 'delivered' }] } });
    expect(resent.body.dispatched[0].deliveryId).not.toBe(original.deliveryId);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body.equals(receiver.received[0]!.body)).toBe(true);
    expect(verified('converc', 1, 'first')).toMatchObject({ ok: true });
  });

  it('answers 202 at once without wait, and 404 for an unknown delivery or one whose webhook is gone', async () => {
    const { body: hook } = await configure('konver');
    const fired = await fire({ vendor: 'konver', event: 'person.created' });
    const [original] = fired.body.dispatched;
    const resent = await call('POST', `${sim.url}/_control/deliveries/${original.deliveryId}/resend`);
    expect(resent).toMatchObject({ status: 202, body: { dispatched: [{ event: 'person.created' }], attempts: [] } });
    await receiver.waitFor(2);
    expect(await call('POST', `${sim.url}/_control/deliveries/nope/resend`)).toMatchObject({ status: 404, body: { error: 'Delivery nope not found, or its webhook is gone.' } });
    await call('DELETE', `${sim.url}/_control/webhooks/konver/${hook.id}`);
    expect(await call('POST', `${sim.url}/_control/deliveries/${original.deliveryId}/resend`)).toMatchObject({ status: 404 });
  });
});

describe('control and routing errors', () => {
  it('answer unknown routes, methods and bodies clearly', async () => {
    expect(await call('GET', `${sim.url}/nowhere`)).toMatchObject({ status: 404, body: { error: 'No route for /nowhere.' } });
    expect(await call('PUT', converc('/integrations/webhooks'))).toMatchObject({ status: 405 });
    expect(await call('POST', `${sim.url}/_control/fire`, { vendor: 'konver', event: 'nope' })).toMatchObject({
      status: 400,
      body: { error: 'Unknown konver event "nope"; give a payload to send it anyway.' },
    });
    const raw = await fetch(`${sim.url}/_control/fire`, { method: 'POST', body: '{oops' });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ error: 'Request body is not valid JSON.' });
  });
});
