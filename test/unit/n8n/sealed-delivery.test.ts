import type { IDataObject } from 'n8n-workflow';
import { sealSecret } from '../../../nodes/trigger/sealed-secret';
import { deliveryHeaders, freshSample, VENDORS } from '../../../shared';
import { webhookContext } from '../../support/n8n-context';
import { PACKAGE } from '../../support/packages';

const { node } = PACKAGE.converc;
const vendor = VENDORS.converc;
const URL = 'http://n8n.test/webhook/abc/webhook';
const API_KEY = 'converc-api-key';
const SECRET = 'whsec_sealed';

let nodes = 0;
/** One trigger's static data is one sealed value, whichever request reads it. */
const sealedFor = new Map<string, string>();

/** A delivery to a trigger whose static data holds the subscription as `create` seals it. */
function delivery(options: { apiKey?: string; sealedWith?: string; nodeId?: string; signWith?: string } = {}) {
  nodes += 1;
  const nodeId = options.nodeId ?? `sealed-node-${nodes}`;
  const binding = { workflowId: 'workflow-1', nodeId, subscriptionId: 'sub-1' };
  const sealingKey = options.sealedWith ?? API_KEY;
  const sealedSecret = sealedFor.get(`${nodeId}:${sealingKey}`) ?? sealSecret(SECRET, sealingKey, binding);
  sealedFor.set(`${nodeId}:${sealingKey}`, sealedSecret);
  const staticData: IDataObject = { subscriptions: { [URL]: { id: 'sub-1', sealedSecret } } };
  // Converc's replay window is on by default: the event is as fresh as a real one.
  const body = Buffer.from(JSON.stringify(freshSample(vendor, 'call.ended', { id: `event-${nodes}`, at: new Date() })));
  return webhookContext({
    nodeType: 'converc',
    nodeId,
    parameters: { events: ['*'], options: {} },
    credentials: { convercApi: { apiKey: options.apiKey ?? API_KEY, baseUrl: 'http://converc.test' } },
    staticData,
    body,
    headers: deliveryHeaders(vendor, body, options.signWith ?? SECRET, 'call.ended'),
  });
}

describe('a Converc delivery checked against the sealed subscription secret', () => {
  it('verifies with the secret the credential opens', async () => {
    const ctx = delivery();
    const result = await node.webhook!.call(ctx.context);
    expect(ctx.response).toEqual({});
    expect(result.workflowData?.[0]?.[0]?.json.convhooks).toMatchObject({ verified: true, event: 'call.ended' });
  });

  it('refuses with 401 no_secret and one warning while the credential does not open it', async () => {
    const nodeId = 'rekeyed-node';
    const first = delivery({ nodeId, sealedWith: 'the-previous-api-key' });
    await node.webhook!.call(first.context);
    expect(first.response).toEqual({ statusCode: 401, body: { error: 'no_secret', message: expect.stringMatching(/No signing secret/) } });
    expect(first.logs).toEqual([expect.stringMatching(/^warn: Converc deliveries are refused \(401 no_secret\): .*API key/)]);
    const second = delivery({ nodeId, sealedWith: 'the-previous-api-key' });
    await node.webhook!.call(second.context);
    expect(second.response.statusCode).toBe(401);
    expect(second.logs).toEqual([]);
  });

  it('reads the credential for a burst of forged deliveries as for one, and not again after', async () => {
    // One forged delivery reads it to open the secret, and for one check of what is subscribed (lost-subscription.ts).
    const single = delivery({ nodeId: 'forged-once-node', signWith: 'not-the-secret' });
    await node.webhook!.call(single.context);
    expect(single.credentialReads.count).toBeGreaterThan(0);
    const nodeId = 'flooded-node';
    const burst = Array.from({ length: 20 }, () => delivery({ nodeId, signWith: 'not-the-secret' }));
    await Promise.all(burst.map((ctx) => node.webhook!.call(ctx.context)));
    expect(burst.map((ctx) => ctx.response.statusCode)).toEqual(Array(20).fill(401));
    expect(burst.reduce((reads, ctx) => reads + ctx.credentialReads.count, 0)).toBe(single.credentialReads.count);
    const later = delivery({ nodeId, signWith: 'not-the-secret' });
    await node.webhook!.call(later.context);
    expect(later.credentialReads.count).toBe(0);
  });

  it('never puts the secret in the answer, the item or the log', async () => {
    for (const ctx of [delivery(), delivery({ signWith: 'forged' }), delivery({ sealedWith: 'other-key' })]) {
      const result = await node.webhook!.call(ctx.context);
      expect(JSON.stringify([result, ctx.response, ctx.logs])).not.toContain(SECRET);
    }
  });
});
