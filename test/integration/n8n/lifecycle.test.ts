import type { IDataObject, IHookFunctions, INodeType, IWebhookFunctions } from 'n8n-workflow';
import { simulatorApiKey, startSimulator, type RunningSimulator } from '../../../simulator';
import { call } from '../../support/http';
import { openSecret, sealSecret } from '../../../nodes/trigger/sealed-secret';
import { deliveryHeaders, freshSample, VENDORS } from '../../../shared';
import { hookContext, PRODUCTION_URL, TEST_URL, webhookContext } from '../../support/n8n-context';
import { PACKAGE } from '../../support/packages';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => call('POST', `${sim.url}/_control/reset`));

/** n8n's id of the trigger node: the same across activations, as in a saved workflow. */
const NODE_ID = 'trigger-node';
const WORKFLOW_ID = 'workflow-1';

const cases = [
  { vendor: 'converc', node: PACKAGE.converc.node, events: ['call.ended'], otherEvents: ['call.ended', 'call.transcript_ready'], removal: 'disable' },
  { vendor: 'convo', node: PACKAGE.convo.node, events: ['transcript.ready'], otherEvents: ['conversation.action_items.ready'], removal: 'delete' },
] as const;

describe.each(cases)('$vendor lifecycle', ({ vendor, node, events, otherEvents, removal }) => {
  const methods = (node as INodeType).webhookMethods!.default!;
  let staticData: IDataObject;

  /** A published workflow's context, or with `mode: 'manual'` the editor's while it listens for a test event. */
  function context(options: { mode?: 'trigger' | 'manual'; events?: readonly string[]; apiKey?: string } = {}) {
    return hookContext({
      nodeType: vendor,
      mode: options.mode,
      parameters: { events: [...(options.events ?? events)], options: {} },
      credentials: { [`${vendor}Api`]: { apiKey: options.apiKey ?? simulatorApiKey(vendor), baseUrl: sim.baseUrl(vendor) } },
      staticData,
      nodeId: NODE_ID,
    });
  }
  const stored = (url = PRODUCTION_URL) => (staticData.subscriptions as Record<string, { id: string; sealedSecret: string }>)[url]!;
  const binding = (subscriptionId: string) => ({ workflowId: WORKFLOW_ID, nodeId: NODE_ID, subscriptionId });
  const run = (name: 'checkExists' | 'create' | 'delete', ctx: { context: IHookFunctions }) => methods[name]!.call(ctx.context);
  const remote = async () => (await call('GET', `${sim.url}/_control/webhooks?vendor=${vendor}`)).body as Array<{ id: string; url: string; events: unknown; active: boolean; secret: string }>;
  const live = async (url = PRODUCTION_URL) => (await remote()).filter((hook) => hook.active && hook.url === url);

  /** n8n's activation: create only when checkExists says there is nothing. */
  async function activate(ctx = context()) {
    if (!(await run('checkExists', ctx))) await run('create', ctx);
  }

  beforeEach(() => {
    staticData = {};
  });

  it('creates one subscription for our URL and events, and keeps its id and secret', async () => {
    expect(await run('checkExists', context())).toBe(false);
    expect(await remote()).toEqual([]);
    await run('create', context());
    const [hook] = await remote();
    expect(await remote()).toHaveLength(1);
    expect(hook).toMatchObject({ url: PRODUCTION_URL, events, active: true });
    // Stamped, so a process holding a copy from before a later activation can tell which record is current.
    expect(staticData.subscriptions).toEqual({ [PRODUCTION_URL]: { id: hook!.id, sealedSecret: expect.stringMatching(/^v1\./), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    expect(JSON.stringify(staticData)).not.toContain(hook!.secret);
    expect(openSecret(stored().sealedSecret, simulatorApiKey(vendor), binding(hook!.id))).toBe(hook!.secret);
    expect(await run('checkExists', context())).toBe(true);
  });

  it('subscribes afresh when the credential no longer opens the stored secret (the API key was changed)', async () => {
    await activate();
    const [hook] = await live();
    staticData.subscriptions = { [PRODUCTION_URL]: { id: hook!.id, sealedSecret: sealSecret(hook!.secret, 'the-previous-api-key', binding(hook!.id)) } };
    const ctx = context();
    expect(await run('checkExists', ctx)).toBe(false);
    expect(ctx.logs).toEqual([expect.stringMatching(/^warn: The .* signing secret stored for this trigger does not open with the credential's API key/)]);
    await run('create', context());
    const current = await live();
    expect(current).toHaveLength(1);
    expect(current[0]!.id).not.toBe(hook!.id);
    expect(openSecret(stored().sealedSecret, simulatorApiKey(vendor), binding(current[0]!.id))).toBe(current[0]!.secret);
  });

  it('subscribes afresh on the first delivery a changed API key cannot verify, and verifies the next one', async () => {
    const nodeId = `key-changed-${vendor}`;
    const credentials = { [`${vendor}Api`]: { apiKey: simulatorApiKey(vendor), baseUrl: sim.baseUrl(vendor) } };
    const parameters = { events: [...events], options: {} };
    const hooks = hookContext({ nodeType: vendor, parameters, credentials, staticData, nodeId });
    if (!(await run('checkExists', hooks))) await run('create', hooks);
    const [hook] = await live();
    // The user changed the key: the stored secret was sealed under the one before.
    staticData.subscriptions = { [PRODUCTION_URL]: { id: hook!.id, sealedSecret: sealSecret(hook!.secret, 'the-previous-api-key', { workflowId: WORKFLOW_ID, nodeId, subscriptionId: hook!.id }), createdAt: 1 } };
    const deliver = async (secret: string) => {
      const body = Buffer.from(JSON.stringify(freshSample(VENDORS[vendor], events[0], { id: `evt-${secret}`, at: new Date() })));
      const ctx = webhookContext({ nodeType: vendor, parameters, credentials, staticData, nodeId, body, headers: deliveryHeaders(VENDORS[vendor], body, secret, events[0]) });
      const result = await (node as INodeType).webhook!.call(ctx.context as IWebhookFunctions);
      return { ...ctx, result };
    };
    const refused = await deliver(hook!.secret);
    expect(refused.response).toMatchObject({ statusCode: 401, body: { error: 'no_secret' } });
    const current = await live();
    expect(current).toHaveLength(1);
    expect(current[0]!.id).not.toBe(hook!.id);
    const next = await deliver(current[0]!.secret);
    expect(next.result.workflowData?.[0]).toHaveLength(1);
  });

  it('lists the account once, not once per trigger, when many triggers check their subscription together (n8n starting)', async () => {
    const stores: IDataObject[] = Array.from({ length: 20 }, () => ({}));
    const hooks = (index: number, activation: 'activate' | 'init') =>
      hookContext({
        nodeType: vendor,
        nodeId: `many-${vendor}-${index}`,
        webhookId: `many-${index}`,
        parameters: { events: [...events], options: {} },
        credentials: { [`${vendor}Api`]: { apiKey: simulatorApiKey(vendor), baseUrl: sim.baseUrl(vendor) } },
        staticData: stores[index],
        activation,
      });
    for (const index of stores.keys()) {
      const ctx = hooks(index, 'activate');
      if (!(await run('checkExists', ctx))) await run('create', ctx);
    }
    const apiCalls = async () => ((await call('GET', `${sim.url}/_control/api-calls`)).body as Record<string, number>)[vendor] ?? 0;
    const before = await apiCalls();
    // The checks share a listing for 5 s: the clock stands still, so a slow machine cannot split them.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now());
    try {
      for (const index of stores.keys()) expect(await run('checkExists', hooks(index, 'init'))).toBe(true);
    } finally {
      clock.mockRestore();
    }
    expect((await apiCalls()) - before).toBe(1);
  });

  it('does not open a sealed secret copied into another node or subscription', async () => {
    await activate();
    const [hook] = await live();
    const sealed = stored().sealedSecret;
    expect(openSecret(sealed, simulatorApiKey(vendor), { ...binding(hook!.id), nodeId: 'another-node' })).toBeUndefined();
    expect(openSecret(sealed, simulatorApiKey(vendor), { ...binding(hook!.id), workflowId: 'another-workflow' })).toBeUndefined();
    expect(openSecret(sealed, simulatorApiKey(vendor), binding('another-subscription'))).toBeUndefined();
    expect(openSecret(`${sealed.slice(0, -2)}AA`, simulatorApiKey(vendor), binding(hook!.id))).toBeUndefined();
    expect(openSecret('v1.not.sealed', simulatorApiKey(vendor), binding(hook!.id))).toBeUndefined();
  });

  it('does not duplicate on re-activation, or when create runs again', async () => {
    await activate();
    await activate();
    expect(await remote()).toHaveLength(1);
    await run('create', context());
    expect(await live()).toHaveLength(1);
  });

  it('never creates or deletes anything in checkExists', async () => {
    await activate();
    const before = JSON.stringify(await remote());
    const ctx = context({ events: otherEvents });
    expect(await run('checkExists', ctx)).toBe(false);
    expect(ctx.calls.map((c) => c.method)).toEqual(['GET']);
    expect(JSON.stringify(await remote())).toBe(before);
  });

  it('replaces the subscription when the chosen events change', async () => {
    await activate();
    const [first] = await remote();
    await activate(context({ events: otherEvents }));
    const current = await live();
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ events: otherEvents });
    expect(current[0]!.id).not.toBe(first!.id);
    const old = (await remote()).find((hook) => hook.id === first!.id);
    if (removal === 'disable') expect(old).toMatchObject({ active: false });
    else expect(old).toBeUndefined();
  });

  it('subscribes again when the subscription was deleted at the vendor', async () => {
    await activate();
    const [hook] = await remote();
    await call('DELETE', `${sim.url}/_control/webhooks/${vendor}/${hook!.id}`);
    expect(await run('checkExists', context())).toBe(false);
    await run('create', context());
    expect(await live()).toHaveLength(1);
  });

  it('replaces a subscription whose secret it lost, leaving no orphan behind', async () => {
    await activate();
    staticData = {};
    expect(await run('checkExists', context())).toBe(false);
    await run('create', context());
    const current = await live();
    expect(current).toHaveLength(1);
    expect(stored().id).toBe(current[0]!.id);
    expect(openSecret(stored().sealedSecret, simulatorApiKey(vendor), binding(current[0]!.id))).toBe(current[0]!.secret);
  });

  it('keeps test and production subscriptions apart, and removes only the test one when the test ends', async () => {
    await activate();
    await activate(context({ mode: 'manual' }));
    expect(await live()).toHaveLength(1);
    expect(await live(TEST_URL)).toHaveLength(1);
    await run('delete', context({ mode: 'manual' }));
    expect(await live(TEST_URL)).toEqual([]);
    expect(await live()).toHaveLength(1);
    expect(await run('checkExists', context())).toBe(true);
  });

  it('removes its subscription on delete and forgets it', async () => {
    await activate();
    expect(await run('delete', context())).toBe(true);
    expect(await live()).toEqual([]);
    expect(staticData.subscriptions).toEqual({});
    expect(await run('delete', context())).toBe(true);
  });

  it('finishes delete when the subscription was already deleted at the vendor', async () => {
    await activate();
    const [hook] = await remote();
    await call('DELETE', `${sim.url}/_control/webhooks/${vendor}/${hook!.id}`);
    const ctx = context();
    expect(await run('delete', ctx)).toBe(true);
    expect(staticData.subscriptions).toEqual({});
    expect(ctx.logs).toEqual([]);
  });

  it('removes on delete a subscription at its URL that it never recorded (a create whose answer was lost)', async () => {
    await activate();
    const orphan = await call('POST', `${sim.baseUrl(vendor)}${vendor === 'converc' ? '/integrations/webhooks' : '/api/v1/webhooks'}`, { url: PRODUCTION_URL, events }, { authorization: `Bearer ${simulatorApiKey(vendor)}` });
    expect(orphan.status).toBe(201);
    expect(await live()).toHaveLength(2);
    expect(await run('delete', context())).toBe(true);
    expect(await live()).toEqual([]);
  });

  it('keeps a subscription made from every event picked one by one, instead of replacing it on each activation', async () => {
    const allEvents = (node.description.properties.find((p) => p.name === 'events')!.options! as { value: string }[]).map((o) => o.value).filter((v) => v !== '*');
    await activate(context({ events: allEvents }));
    const [first] = await live();
    expect(await run('checkExists', context({ events: allEvents }))).toBe(true);
    await activate(context({ events: allEvents }));
    expect((await live()).map((hook) => hook.id)).toEqual([first!.id]);
  });

  it('leaves a working subscription alone when the node has no events chosen', async () => {
    await activate();
    await expect(run('create', context({ events: [] }))).rejects.toMatchObject({ message: 'Choose at least one event to receive.' });
    expect(await live()).toHaveLength(1);
  });

  it('rides out a passing outage and rate limit on reads and deletes', async () => {
    await activate();
    await call('POST', `${sim.url}/_control/faults/api`, { vendor, status: 503 });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor, status: 429, retryAfterSeconds: 1 });
    const ctx = context();
    expect(await run('checkExists', ctx)).toBe(true);
    expect(await run('delete', ctx)).toBe(true);
    expect(await live()).toEqual([]);
    expect(ctx.logs).toEqual([expect.stringMatching(/failed \(503\); retrying in 500 ms/), expect.stringMatching(/failed \(429\); retrying in 1000 ms/)]);
  });

  it('surfaces a failed delete and keeps the subscription to retry later', async () => {
    await activate();
    await call('POST', `${sim.url}/_control/faults/api`, { vendor, status: 500, times: 3 });
    await expect(run('delete', context())).rejects.toMatchObject({ message: expect.stringMatching(/unavailable \(500\)/) });
    expect(Object.keys(staticData.subscriptions as IDataObject)).toEqual([PRODUCTION_URL]);
    expect(await run('delete', context())).toBe(true);
    expect(await live()).toEqual([]);
  });

  it('turns vendor API errors into clear messages', async () => {
    await expect(activate(context({ apiKey: 'wrong' }))).rejects.toMatchObject({
      message: expect.stringMatching(/rejected the API key \(401\)/),
      description: expect.stringMatching(/Check the API key/),
    });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor, status: 429, retryAfterSeconds: 30 });
    await expect(activate()).rejects.toMatchObject({ message: expect.stringMatching(/rate limiting requests \(429\)/), description: expect.stringMatching(/in 30 seconds/) });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor, status: 503, times: 3 });
    await expect(activate()).rejects.toMatchObject({ message: expect.stringMatching(/unavailable \(503\)/) });
    expect(await remote()).toEqual([]);
    await activate();
    expect(await remote()).toHaveLength(1);
  });

  it('says so when the vendor cannot be reached', async () => {
    const ctx = hookContext({
      nodeType: vendor,
      parameters: { events: [...events], options: {} },
      credentials: { [`${vendor}Api`]: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9/none' } },
    });
    await expect(methods.create!.call(ctx.context)).rejects.toMatchObject({ message: expect.stringMatching(/Could not reach/) });
  });
});

