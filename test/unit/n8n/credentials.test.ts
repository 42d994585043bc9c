import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { signingCredentials } from '../../../nodes/trigger/credentials';
import { deliveryHandler } from '../../../nodes/trigger/webhook';
import { deliveryHeaders, VENDORS, type VendorDefinition } from '../../../shared';
import { deliveryContext } from '../../support/delivery-context';

const vendor: VendorDefinition = VENDORS.kolvera;
const webhook = deliveryHandler(vendor);
const SECRET = 'whsec_kolvera';
const START = Date.UTC(2026, 11, 1, 12);
const BURST = 25;
/** How many credentials the cache holds (in credentials.ts). */
const CACHE_ENTRIES = 1000;

const body = Buffer.from(JSON.stringify(vendor.events['meeting.booked']!.sample));
const signed = deliveryHeaders(vendor, body, SECRET, 'meeting.booked');
const forged = deliveryHeaders(vendor, body, 'attacker', 'meeting.booked');

/** n8n's decryption, counted; it answers on a later turn of the event loop, as a real read does. */
function credential(answers: Array<IDataObject | Error> = [{ secret: SECRET }]) {
  const reads = { count: 0 };
  const getCredentials = async (): Promise<IDataObject> => {
    const answer = answers[Math.min(reads.count, answers.length - 1)]!;
    reads.count += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { reads, getCredentials };
}

function deliver(nodeId: string, getCredentials: () => Promise<IDataObject>, headers: Record<string, string>) {
  const { context, answer } = deliveryContext({ vendor, nodeId, body, headers, getCredentials });
  return webhook.call(context).then((result) => ({ result, answer }));
}

const burst = (nodeId: string, getCredentials: () => Promise<IDataObject>, headers = forged) =>
  Promise.all(Array.from({ length: BURST }, () => deliver(nodeId, getCredentials, headers)));

const statuses = (answers: Array<{ answer: { status?: number } }>) => [...new Set(answers.map(({ answer }) => answer.status))];

describe('signing credentials under concurrent deliveries', () => {
  let now = START;
  beforeEach(() => {
    now = START;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the credential once for a burst of forged requests on an empty cache', async () => {
    const { reads, getCredentials } = credential();
    expect(statuses(await burst('cold', getCredentials))).toEqual([401]);
    expect(reads.count).toBe(1);
  });

  it('re-reads a copy older than 5 s exactly once for a burst of forged requests, and not again while the new copy is young', async () => {
    const { reads, getCredentials } = credential();
    expect((await deliver('stale', getCredentials, signed)).result.workflowData).toHaveLength(1);
    now = START + 10_000;
    expect(statuses(await burst('stale', getCredentials))).toEqual([401]);
    expect(reads.count).toBe(2);
    now = START + 14_999;
    expect(statuses(await burst('stale', getCredentials))).toEqual([401]);
    expect(reads.count).toBe(2);
  });

  it('does not re-read a copy younger than 5 s however many forged requests come', async () => {
    const { reads, getCredentials } = credential();
    await deliver('young', getCredentials, signed);
    now = START + 4_999;
    expect(statuses(await burst('young', getCredentials))).toEqual([401]);
    expect(reads.count).toBe(1);
  });

  it('rejects every waiting delivery with the one error of a failed read, and the next delivery reads again', async () => {
    const { reads, getCredentials } = credential([new Error('Credentials could not be decrypted.'), { secret: SECRET }]);
    const outcomes = await Promise.allSettled(Array.from({ length: BURST }, () => deliver('failing', getCredentials, signed)));
    const reasons = new Set(outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : 'delivered')));
    expect(reasons.size).toBe(1);
    const [reason] = reasons;
    expect(reason).toBeInstanceOf(NodeOperationError);
    expect((reason as Error).message).toBe('The Kolvera trigger could not read its kolveraWebhookApi credential, so it cannot verify deliveries: Credentials could not be decrypted.');
    expect(reads.count).toBe(1);
    expect((await deliver('failing', getCredentials, signed)).result.workflowData).toHaveLength(1);
    expect(reads.count).toBe(2);
  });

  it('reads once when the copy expires after a minute, for all deliveries arriving together', async () => {
    const { reads, getCredentials } = credential();
    await deliver('expiring', getCredentials, signed);
    now = START + 59_999;
    await burst('expiring', getCredentials, signed);
    expect(reads.count).toBe(1);
    now = START + 60_000;
    const accepted = await burst('expiring', getCredentials, signed);
    expect(reads.count).toBe(2);
    expect(statuses(accepted)).toEqual([undefined]);
  });
});

describe('the credential cache’s bound', () => {
  const { reads, getCredentials } = credential();
  const cached = (nodeId: string, at = START) =>
    signingCredentials(deliveryContext({ vendor, nodeId, body, headers: signed, getCredentials }).context, vendor, at);
  const readsFor = async (nodeIds: string[], at = START) => {
    const before = reads.count;
    for (const nodeId of nodeIds) await cached(nodeId, at);
    return reads.count - before;
  };
  const nodes = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, index) => `${prefix}-${from + index}`);

  it('evicts the oldest credential once it holds 1 000', async () => {
    expect(await readsFor(nodes('evicted', 0, CACHE_ENTRIES + 1))).toBe(CACHE_ENTRIES + 1);
    expect(await readsFor(nodes('evicted', 1, CACHE_ENTRIES + 1))).toBe(0);
    expect(await readsFor(['evicted-0'])).toBe(1);
  });

  it('keeps no copy of a credential with verification off, so unverified triggers push no verified copy out', async () => {
    expect(await readsFor(nodes('kept', 0, CACHE_ENTRIES))).toBe(CACHE_ENTRIES);
    const unverified = credential([{ secret: '', verification: 'disabled' }]);
    const read = (nodeId: string) => signingCredentials(deliveryContext({ vendor, nodeId, body, headers: signed, getCredentials: unverified.getCredentials }).context, vendor, START);
    for (const nodeId of nodes('unverified', 0, 3)) await read(nodeId);
    await read('unverified-0');
    expect(unverified.reads.count).toBe(4);
    expect(await readsFor(nodes('kept', 0, CACHE_ENTRIES))).toBe(0);
  });

  it('re-reads an expired credential in place of its old copy, evicting nothing, and counts it as the newest', async () => {
    expect(await readsFor(nodes('renewed', 0, CACHE_ENTRIES))).toBe(CACHE_ENTRIES);
    expect(await readsFor(['renewed-500'], START + 60_000)).toBe(1);
    expect(await readsFor(nodes('renewed', 0, CACHE_ENTRIES))).toBe(0);
    // 501 newcomers evict renewed-0 … renewed-499 and then renewed-501, not the re-read renewed-500.
    expect(await readsFor(nodes('renewed', CACHE_ENTRIES, CACHE_ENTRIES + 501))).toBe(501);
    expect(await readsFor(['renewed-500', 'renewed-502'])).toBe(0);
    expect(await readsFor(['renewed-501'])).toBe(1);
  });
});
