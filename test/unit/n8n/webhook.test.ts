import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';
import { deliveryHeaders, freshSample, replayDefaultNote, VENDORS, type VendorDefinition, type VendorId } from '../../../shared';
import { sealSecret } from '../../../nodes/trigger/sealed-secret';
import { seenBefore } from '../../../nodes/trigger/static-data';
import { webhookContext } from '../../support/n8n-context';
import { PACKAGE } from '../../support/packages';
import { packageLayout } from '../../../scripts/generate/layout';

const NODES = Object.fromEntries(Object.entries(PACKAGE).map(([id, { node }]) => [id, node])) as Record<VendorId, INodeType>;
const SECRET = 'whsec_test';
const PRODUCTION_URL = 'http://n8n.test/webhook/abc/webhook';

/** A sample as the vendor would send it now: the doc's fixed timestamps fall outside a replay window that is on. */
const freshBody = (vendor: VendorDefinition, event: string) => Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));

interface Delivery {
  credentialId?: string;
  nodeId?: string;
  body?: Buffer;
  headers?: Record<string, string | string[]>;
  events?: string[];
  options?: INodeParameters;
  credential?: IDataObject;
  staticData?: IDataObject;
  rawBodyLazily?: boolean;
}

const API_KEY = 'api-key';

/** What `create` leaves behind: the subscription's one-time secret, sealed under the credential's API key for one node. */
const subscribed = (nodeId: string): IDataObject => ({
  subscriptions: { [PRODUCTION_URL]: { id: 'sub-1', sealedSecret: sealSecret(SECRET, API_KEY, { workflowId: 'workflow-1', nodeId, subscriptionId: 'sub-1' }) } },
});

function setupFor(vendor: VendorDefinition, nodeId: string, staticData: IDataObject | undefined, credential: IDataObject | undefined) {
  if (vendor.registration.kind === 'api') {
    // Nothing listens at the base URL: a refused delivery's check for a lost subscription fails at once.
    return { credentials: { [`${vendor.id}Api`]: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' } }, staticData: staticData ?? subscribed(nodeId) };
  }
  return { credentials: { [`${vendor.id}WebhookApi`]: { secret: SECRET, ...credential } }, staticData: staticData ?? {} };
}

async function deliver(vendorId: VendorId, event: string, delivery: Delivery = {}) {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const body = delivery.body ?? freshBody(vendor, event);
  const headers = delivery.headers ?? deliveryHeaders(vendor, body, SECRET, event);
  const nodeId = delivery.nodeId ?? `node-${randomUUID()}`;
  const { credentials, staticData } = setupFor(vendor, nodeId, delivery.staticData, delivery.credential);
  const ctx = webhookContext({
    nodeType: vendorId,
    credentialId: delivery.credentialId,
    nodeId,
    parameters: { events: delivery.events ?? ['*'], options: delivery.options ?? {} },
    credentials,
    staticData,
    body,
    headers,
    rawBodyLazily: delivery.rawBodyLazily,
  });
  const result = await NODES[vendorId].webhook!.call(ctx.context);
  return { body, result, response: ctx.response, staticData: ctx.staticData, credentialReads: ctx.credentialReads.count };
}

const EVERY_EVENT = (Object.keys(VENDORS) as VendorId[]).flatMap((id) => Object.keys(VENDORS[id].events).map((event) => [id, event] as const));

describe.each(EVERY_EVENT)('%s trigger, %s', (vendorId, event) => {
  it('emits one item: the payload as delivered plus the convhooks metadata', async () => {
    const { body, result, response } = await deliver(vendorId, event);
    expect(response).toEqual({});
    expect(result.workflowData).toHaveLength(1);
    const [items] = result.workflowData!;
    expect(items).toHaveLength(1);
    const { convhooks, ...payload } = items![0]!.json;
    expect(payload).toEqual(JSON.parse(body.toString('utf8')));
    expect(convhooks).toEqual({
      vendor: vendorId,
      event,
      dedupeKey: expect.stringMatching(new RegExp(`^${vendorId}:`)),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      verified: true,
      schemaIssues: [],
    });
  });
});

describe.each(Object.keys(NODES) as VendorId[])('%s trigger refuses', (vendorId) => {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const [event] = Object.keys(vendor.events) as [string];
  const header = vendor.signature.header.toLowerCase();

  it('a forged signature with 401 and no execution', async () => {
    const body = freshBody(vendor, event);
    const { result, response } = await deliver(vendorId, event, { body, headers: deliveryHeaders(vendor, body, 'attacker', event) });
    expect(result).toEqual({ noWebhookResponse: true });
    expect(response).toEqual({ statusCode: 401, body: { error: 'signature_mismatch', message: expect.stringContaining(vendor.signature.header) } });
  });

  it('a missing signature with 401', async () => {
    const { result, response } = await deliver(vendorId, event, { headers: { 'content-type': 'application/json' } });
    expect(result.workflowData).toBeUndefined();
    expect(response).toMatchObject({ statusCode: 401, body: { error: 'missing_signature' } });
  });

  it('a tampered body with 401', async () => {
    const body = freshBody(vendor, event);
    const headers = deliveryHeaders(vendor, body, SECRET, event);
    const tampered = Buffer.from(body.toString().replace('{', '{"admin":true,'));
    const { response } = await deliver(vendorId, event, { body: tampered, headers });
    expect(response).toMatchObject({ statusCode: 401, body: { error: 'signature_mismatch' } });
  });

  it('a signed body that is not JSON with 400', async () => {
    const body = Buffer.from('not json');
    const { result, response } = await deliver(vendorId, event, { body, headers: { [header]: deliveryHeaders(vendor, body, SECRET, event)[header]! } });
    expect(result.workflowData).toBeUndefined();
    expect(response).toMatchObject({ statusCode: 400, body: { error: 'invalid_json', message: expect.stringMatching(/^The request body is not valid JSON/) } });
  });

  it('an event the user did not choose with a 200 and no execution', async () => {
    const other = Object.keys(vendor.events).find((name) => name !== event)!;
    const { result, response } = await deliver(vendorId, other, { events: [event] });
    expect(response).toEqual({});
    expect(result).toEqual({ webhookResponse: { received: true, ignored: `The trigger does not listen for ${other}.` } });
  });

  it('a repeated delivery once dedupe has seen it, but not with dedupe off', async () => {
    const body = freshBody(vendor, event);
    const nodeId = `repeats-${vendorId}-${event}`;
    const staticData: IDataObject = vendor.registration.kind === 'api' ? subscribed(nodeId) : {};
    const first = await deliver(vendorId, event, { body, staticData, nodeId });
    const second = await deliver(vendorId, event, { body, staticData, nodeId });
    expect(first.result.workflowData).toHaveLength(1);
    expect(second.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
    const third = await deliver(vendorId, event, { body, staticData, nodeId, options: { dedupe: false } });
    expect(third.result.workflowData).toHaveLength(1);
  });
});

describe('trigger details', () => {
  it('reads the raw body when n8n has not buffered it yet', async () => {
    const { result } = await deliver('kolvera', 'meeting.booked', { rawBodyLazily: true });
    expect(result.workflowData).toHaveLength(1);
  });

  it('adds the request headers when asked', async () => {
    const { result } = await deliver('convo', 'transcript.ready', { options: { includeHeaders: true } });
    const metadata = result.workflowData![0]![0]!.json.convhooks as IDataObject;
    expect(metadata.headers).toMatchObject({ 'x-convo-event': 'transcript.ready', 'x-convo-signature': expect.any(String) });
  });

  it('accepts the previous secret during a rotation', async () => {
    const body = Buffer.from(JSON.stringify(VENDORS.konver.events['person.created'].sample));
    const headers = deliveryHeaders(VENDORS.konver, body, 'old-secret', 'person.created');
    const rotated = await deliver('konver', 'person.created', { body, headers, credential: { secret: 'new-secret', previousSecret: 'old-secret' } });
    expect(rotated.result.workflowData).toHaveLength(1);
    const done = await deliver('konver', 'person.created', { body, headers, credential: { secret: 'new-secret', previousSecret: '' } });
    expect(done.response).toMatchObject({ statusCode: 401 });
  });

  it('fails closed for an API vendor when it holds no secret', async () => {
    const { response } = await deliver('converc', 'call.ended', { staticData: {} });
    expect(response).toMatchObject({ statusCode: 401, body: { error: 'no_secret' } });
  });

  it('reads Konvox signatures from the header the credential names, and the node option overrides it', async () => {
    const body = Buffer.from(JSON.stringify(VENDORS.konvox.events['contact.replied'].sample));
    const value = deliveryHeaders(VENDORS.konvox, body, SECRET, undefined)['x-konvox-signature']!;
    const viaCredential = await deliver('konvox', 'contact.replied', { body, headers: { 'x-signature': value }, credential: { signatureHeader: 'X-Signature' } });
    expect(viaCredential.result.workflowData).toHaveLength(1);
    const viaOption = await deliver('konvox', 'contact.replied', {
      body,
      headers: { 'x-hub-signature-256': `sha256=${value}` },
      credential: { signatureHeader: 'X-Signature' },
      options: { signatureHeader: 'X-Hub-Signature-256' },
    });
    expect(viaOption.result.workflowData).toHaveLength(1);
  });

  it('ignores a Signature Header option on a vendor whose doc names its header, as an imported workflow may set it', async () => {
    for (const [vendorId, event] of [['konver', 'person.created'], ['convo', 'transcript.ready']] as const) {
      const { result } = await deliver(vendorId, event, { options: { signatureHeader: 'X-Other-Signature' } });
      expect(result.workflowData).toHaveLength(1);
    }
  });

  it('takes a Signature Header option or credential field that is not a string for the vendor header: accepted when signed there, else a 401 naming it', async () => {
    for (const value of [42, { name: 'X-Other' }, ['X-Other'], null]) {
      const viaOption = await deliver('converc', 'call.ended', { options: { signatureHeader: value } });
      expect(viaOption.result.workflowData).toHaveLength(1);
      const viaBoth = await deliver('konvox', 'contact.replied', { options: { signatureHeader: value }, credential: { signatureHeader: value } });
      expect(viaBoth.result.workflowData).toHaveLength(1);
      const unsigned = await deliver('konvox', 'contact.replied', { headers: {}, options: { signatureHeader: value }, credential: { signatureHeader: value } });
      expect(unsigned.response).toEqual({ statusCode: 401, body: { error: 'missing_signature', message: 'The request has no X-Konvox-Signature header.' } });
    }
  });

  it('runs Konvox without verification only when the credential says so, and marks the items', async () => {
    const body = Buffer.from(JSON.stringify(VENDORS.konvox.events['contact.replied'].sample));
    const refused = await deliver('konvox', 'contact.replied', { body, headers: {} });
    expect(refused.response).toMatchObject({ statusCode: 401, body: { error: 'missing_signature' } });
    const accepted = await deliver('konvox', 'contact.replied', { body, headers: {}, credential: { verification: 'disabled' } });
    expect((accepted.result.workflowData![0]![0]!.json.convhooks as IDataObject).verified).toBe(false);
  });

  it('keeps a drifted payload and lists its schema issues', async () => {
    const body = Buffer.from(JSON.stringify({ event: 'enrollment.unsubscribed', timestamp: 't', companyId: 'c', data: { contactId: 'x' } }));
    const { result } = await deliver('konvox', 'enrollment.unsubscribed', { body });
    const metadata = result.workflowData![0]![0]!.json.convhooks as IDataObject;
    expect((metadata.schemaIssues as IDataObject[]).map((issue) => issue.path)).toEqual(['data.enrollmentId', 'data.campaignId', 'data.reason']);
  });

  it('dedupes two deliveries in flight at once, which n8n hands each its own copy of static data', async () => {
    const body = Buffer.from(JSON.stringify(VENDORS.konvox.events['enrollment.created'].sample));
    const [first, second] = await Promise.all([
      deliver('konvox', 'enrollment.created', { body, nodeId: 'concurrent', staticData: {} }),
      deliver('konvox', 'enrollment.created', { body, nodeId: 'concurrent', staticData: {} }),
    ]);
    expect([first.result.workflowData?.length, second.result.webhookResponse]).toEqual([1, { received: true, duplicate: true }]);
  });

  it('bounds the keys kept for dedupe', async () => {
    const staticData: IDataObject = {};
    for (let index = 0; index < 1005; index += 1) {
      const body = Buffer.from(JSON.stringify({ ...VENDORS.konver.events['person.created'].sample, id: `evt-${index}` }));
      await deliver('konver', 'person.created', { body, staticData });
    }
    expect(staticData.dedupe).toMatchObject({ next: 5 });
    expect((staticData.dedupe as { keys: string[] }).keys.length).toBe(1000);
    expect(seenBefore(staticData, 'konver:person.created:evt-1004')).toBe(true);
    expect(seenBefore(staticData, 'konver:person.created:evt-4')).toBe(false);
  });
});

describe('refusing old deliveries', () => {
  const documented = (vendorId: VendorId, event: string) => Buffer.from(JSON.stringify((VENDORS[vendorId] as VendorDefinition).events[event]!.sample));

  it.each(Object.keys(NODES) as VendorId[])('offers the option on the %s trigger, off by default, and says why', (vendorId) => {
    const options = NODES[vendorId].description.properties.find((property) => property.name === 'options')!.options as INodeProperties[];
    const option = options.find((property) => property.name === 'replayWindowMinutes');
    expect(option).toMatchObject({ displayName: 'Refuse Old Deliveries (Minutes)', type: 'number', default: 0 });
    const vendor = VENDORS[vendorId] as VendorDefinition;
    // The panel says why in one clause; the package README, behind the node's docs, says it in full.
    expect(option?.description).toBe(`Refuse signed deliveries whose ${vendor.timestampField} is older than this; off (0) by default, as ${vendor.name} can deliver events late`);
    expect(readFileSync(join(packageLayout(vendor).folder, 'README.md'), 'utf8')).toContain(replayDefaultNote(vendor));
  });

  it.each(['converc', 'convo'] as const)('takes a %s delivery made days ago by default, and refuses it with 401 stale_event once the user sets a window', async (vendorId) => {
    const [event] = Object.keys(VENDORS[vendorId].events) as [string];
    const field = VENDORS[vendorId].timestampField;
    const taken = await deliver(vendorId, event, { body: documented(vendorId, event) });
    expect(taken.result.workflowData).toHaveLength(1);
    const refused = await deliver(vendorId, event, { body: documented(vendorId, event), options: { replayWindowMinutes: 5 } });
    expect(refused.result).toEqual({ noWebhookResponse: true });
    expect(refused.response).toEqual({
      statusCode: 401,
      body: { error: 'stale_event', message: expect.stringMatching(new RegExp(`^The signed "${field}" \\S+ is \\d+ days old, outside the 5-minute replay window\\.$`)) },
    });
  });

  it('takes an old Konver delivery by default, and refuses it once the user sets a window', async () => {
    const body = documented('konver', 'person.created');
    expect((await deliver('konver', 'person.created', { body })).result.workflowData).toHaveLength(1);
    const refused = await deliver('konver', 'person.created', { body, options: { replayWindowMinutes: 10 } });
    expect(refused.response).toMatchObject({ statusCode: 401, body: { error: 'stale_event', message: expect.stringContaining('outside the 10-minute replay window') } });
    expect((await deliver('konver', 'person.created', { options: { replayWindowMinutes: 10 } })).result.workflowData).toHaveLength(1);
  });

  it('uses the default, off, when an imported workflow holds something that is not a number of minutes', async () => {
    for (const replayWindowMinutes of ['ten', -1, { minutes: 0 }, null]) {
      const convo = await deliver('convo', 'transcript.ready', { body: documented('convo', 'transcript.ready'), options: { replayWindowMinutes } });
      expect(convo.result.workflowData).toHaveLength(1);
      const konver = await deliver('konver', 'person.created', { body: documented('konver', 'person.created'), options: { replayWindowMinutes } });
      expect(konver.result.workflowData).toHaveLength(1);
    }
  });

  it('does not hold an unverified Konvox delivery to a timestamp anyone could have written', async () => {
    const { result } = await deliver('konvox', 'contact.replied', {
      body: documented('konvox', 'contact.replied'),
      headers: {},
      credential: { verification: 'disabled' },
      options: { replayWindowMinutes: 5 },
    });
    expect(result.workflowData).toHaveLength(1);
  });
});

describe('signing secrets between deliveries', () => {
  const body = Buffer.from(JSON.stringify(VENDORS.kolvera.events['meeting.booked'].sample));
  const signedWith = (secret: string) => deliveryHeaders(VENDORS.kolvera, body, secret, 'meeting.booked');
  const start = new Date('2026-11-23T12:00:00Z').getTime();

  beforeEach(() => {
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('reads the credential once a minute, not once per delivery', async () => {
    const reads = [];
    for (let i = 0; i < 5; i += 1) reads.push((await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-a', nodeId: 'cache-node', options: { dedupe: false } })).credentialReads);
    jest.setSystemTime(start + 61_000);
    reads.push((await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-a', nodeId: 'cache-node', options: { dedupe: false } })).credentialReads);
    expect(reads).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('picks up a just-saved secret on the first delivery that needs it, once the copy is 5 s old', async () => {
    await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-b', nodeId: 'cache-node', credential: { secret: 'old' }, body, headers: signedWith('old') });
    const rotated = { credentialId: 'cache-b', nodeId: 'cache-node', credential: { secret: 'new' }, body, headers: signedWith('new'), options: { dedupe: false } };
    const tooSoon = await deliver('kolvera', 'meeting.booked', rotated);
    expect(tooSoon.response).toMatchObject({ statusCode: 401 });
    jest.setSystemTime(start + 5_000);
    const afterRefresh = await deliver('kolvera', 'meeting.booked', rotated);
    expect(afterRefresh.result.workflowData).toHaveLength(1);
    expect(afterRefresh.credentialReads).toBe(1);
  });

  it('does not re-read the credential for a stale delivery, whose signature did verify', async () => {
    await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-d', nodeId: 'cache-node', body, headers: signedWith(SECRET) });
    jest.setSystemTime(start + 6_000);
    const stale = await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-d', nodeId: 'cache-node', body, headers: signedWith(SECRET), options: { replayWindowMinutes: 5 } });
    expect(stale.response).toMatchObject({ statusCode: 401, body: { error: 'stale_event' } });
    expect(stale.credentialReads).toBe(0);
  });

  it('re-reads at most once per 5 s under a flood of forged requests', async () => {
    await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-c' });
    let reads = 0;
    for (let second = 0; second < 20; second += 1) {
      jest.setSystemTime(start + 5_000 + second * 250);
      const forged = await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-c', nodeId: 'cache-node', body, headers: signedWith('attacker') });
      expect(forged.response).toMatchObject({ statusCode: 401 });
      reads += forged.credentialReads;
    }
    expect(reads).toBeLessThanOrEqual(2);
  });
});
