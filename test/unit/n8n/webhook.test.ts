import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { ConvercTrigger } from '../../../nodes/ConvercTrigger/ConvercTrigger.node';
import { ConvoTrigger } from '../../../nodes/ConvoTrigger/ConvoTrigger.node';
import { KolveraTrigger } from '../../../nodes/KolveraTrigger/KolveraTrigger.node';
import { KonverTrigger } from '../../../nodes/KonverTrigger/KonverTrigger.node';
import { KonvoxTrigger } from '../../../nodes/KonvoxTrigger/KonvoxTrigger.node';
import { deliveryHeaders, VENDORS, type VendorDefinition, type VendorId } from '../../../shared';
import { webhookContext } from '../../support/n8n-context';

const NODES: Record<VendorId, INodeType> = {
  konver: new KonverTrigger(),
  converc: new ConvercTrigger(),
  kolvera: new KolveraTrigger(),
  konvox: new KonvoxTrigger(),
  convo: new ConvoTrigger(),
};
const SECRET = 'whsec_test';
const PRODUCTION_URL = 'http://n8n.test/webhook/abc/webhook';

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

function setupFor(vendor: VendorDefinition, staticData: IDataObject | undefined, credential: IDataObject | undefined) {
  if (vendor.registration.kind === 'api') {
    // What `create` left behind: the subscription's one-time secret.
    return { credentials: {}, staticData: staticData ?? { subscriptions: { [PRODUCTION_URL]: { id: 'sub-1', secret: SECRET } } } };
  }
  return { credentials: { [`${vendor.id}WebhookApi`]: { secret: SECRET, ...credential } }, staticData: staticData ?? {} };
}

async function deliver(vendorId: VendorId, event: string, delivery: Delivery = {}) {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const body = delivery.body ?? Buffer.from(JSON.stringify(vendor.events[event]!.sample));
  const headers = delivery.headers ?? deliveryHeaders(vendor, body, SECRET, event);
  const { credentials, staticData } = setupFor(vendor, delivery.staticData, delivery.credential);
  const ctx = webhookContext({
    nodeType: vendorId,
    credentialId: delivery.credentialId,
    nodeId: delivery.nodeId,
    parameters: { events: delivery.events ?? ['*'], options: delivery.options ?? {} },
    credentials,
    staticData,
    body,
    headers,
    rawBodyLazily: delivery.rawBodyLazily,
  });
  const result = await NODES[vendorId].webhook!.call(ctx.context);
  return { result, response: ctx.response, staticData: ctx.staticData, credentialReads: ctx.credentialReads.count };
}

const EVERY_EVENT = (Object.keys(VENDORS) as VendorId[]).flatMap((id) => Object.keys(VENDORS[id].events).map((event) => [id, event] as const));

describe.each(EVERY_EVENT)('%s trigger, %s', (vendorId, event) => {
  it('emits one item: the payload as documented plus the convhooks metadata', async () => {
    const { result, response } = await deliver(vendorId, event);
    expect(response).toEqual({});
    expect(result.workflowData).toHaveLength(1);
    const [items] = result.workflowData!;
    expect(items).toHaveLength(1);
    const { convhooks, ...payload } = items![0]!.json;
    expect(payload).toEqual((VENDORS[vendorId] as VendorDefinition).events[event]!.sample);
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
    const body = Buffer.from(JSON.stringify(vendor.events[event]!.sample));
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
    const body = Buffer.from(JSON.stringify(vendor.events[event]!.sample));
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
    const body = Buffer.from(JSON.stringify(vendor.events[event]!.sample));
    const staticData: IDataObject = vendor.registration.kind === 'api' ? { subscriptions: { [PRODUCTION_URL]: { id: 's', secret: SECRET } } } : {};
    const first = await deliver(vendorId, event, { body, staticData });
    const second = await deliver(vendorId, event, { body, staticData });
    expect(first.result.workflowData).toHaveLength(1);
    expect(second.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
    const third = await deliver(vendorId, event, { body, staticData, options: { dedupe: false } });
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
      const body = Buffer.from(JSON.stringify({ ...VENDORS.kolvera.events['meeting.booked'].sample, id: `evt-${index}` }));
      await deliver('kolvera', 'meeting.booked', { body, staticData });
    }
    expect((staticData.seen as string[]).length).toBe(1000);
    expect((staticData.seen as string[])[999]).toBe('kolvera:meeting.booked:evt-1004');
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
    await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-b', nodeId: 'cache-node', credential: { secret: 'old' }, headers: signedWith('old') });
    const rotated = { credentialId: 'cache-b', nodeId: 'cache-node', credential: { secret: 'new' }, headers: signedWith('new'), options: { dedupe: false } };
    const tooSoon = await deliver('kolvera', 'meeting.booked', rotated);
    expect(tooSoon.response).toMatchObject({ statusCode: 401 });
    jest.setSystemTime(start + 5_000);
    const afterRefresh = await deliver('kolvera', 'meeting.booked', rotated);
    expect(afterRefresh.result.workflowData).toHaveLength(1);
    expect(afterRefresh.credentialReads).toBe(1);
  });

  it('re-reads at most once per 5 s under a flood of forged requests', async () => {
    await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-c' });
    let reads = 0;
    for (let second = 0; second < 20; second += 1) {
      jest.setSystemTime(start + 5_000 + second * 250);
      const forged = await deliver('kolvera', 'meeting.booked', { credentialId: 'cache-c', nodeId: 'cache-node', headers: signedWith('attacker') });
      expect(forged.response).toMatchObject({ statusCode: 401 });
      reads += forged.credentialReads;
    }
    expect(reads).toBeLessThanOrEqual(2);
  });
});
