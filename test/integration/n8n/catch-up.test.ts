/**
 * Converc catch-up and the subscriptions a process knows of, in n8n-core's own contexts against the
 * simulator over HTTP. The simulator delivers to the trigger's URL, where nothing listens: an
 * event fired here is one the vendor sent while n8n was down, and stays in its recent events.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IHookFunctions, INodeType, IWebhookFunctions, WorkflowActivateMode } from 'n8n-workflow';
import { simulatorApiKey, startSimulator, type RunningSimulator } from '../../../simulator';
import { deliveryHeaders, freshSample, VENDORS } from '../../../shared';
import { call } from '../../support/http';
import { hookContext, PRODUCTION_URL, triggerContext, webhookContext } from '../../support/n8n-context';
import { PACKAGE, vendorPackage } from '../../support/packages';

const vendor = VENDORS.converc;
const node = PACKAGE.converc.node as INodeType;
const methods = node.webhookMethods!.default!;

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ strict: true });
});
afterAll(() => sim.close());
beforeEach(() => call('POST', `${sim.url}/_control/reset`));

let triggers = 0;

interface Attempt {
  requestBody: string;
}

/** One published Converc trigger: its static data as n8n saves it, and the contexts n8n gives it. */
function trigger(options: { events?: string[]; dedupe?: boolean } = {}) {
  triggers += 1;
  const nodeId = `catch-up-node-${triggers}`;
  const staticData: IDataObject = {};
  const parameters = { events: options.events ?? ['call.ended', 'call.transcript_ready'], options: options.dedupe === false ? { dedupe: false } : {} };
  const credentials = { convercApi: { apiKey: simulatorApiKey('converc'), baseUrl: sim.baseUrl('converc') } };
  const hook = (name: 'checkExists' | 'create' | 'delete', activation: WorkflowActivateMode = 'activate') => {
    const ctx = hookContext({ nodeType: 'converc', nodeId, parameters, credentials, staticData, activation });
    return methods[name]!.call(ctx.context as IHookFunctions);
  };
  /** n8n's activation: create only when checkExists finds nothing. */
  const activate = async (activation: WorkflowActivateMode) => {
    if (!(await hook('checkExists', activation))) await hook('create', activation);
  };
  const secret = async () => {
    const hooks = (await call('GET', `${sim.url}/_control/webhooks?vendor=converc`)).body as Array<{ url: string; active: boolean; secret: string }>;
    return hooks.find((remote) => remote.active && remote.url === PRODUCTION_URL)!.secret;
  };
  /** A delivery of `body` as the subscription signs it; `stored` is the static data the request loaded. */
  /** `apiAt`: where this delivery's process reaches Converc's API, when not straight at the simulator. */
  const deliver = async (body: string, options: { stored?: IDataObject; signWith?: string; mode?: 'webhook' | 'manual'; via?: INodeType; apiAt?: string } = {}) => {
    const raw = Buffer.from(body);
    const ctx = webhookContext({
      nodeType: 'converc',
      nodeId,
      parameters,
      credentials: options.apiAt === undefined ? credentials : { convercApi: { ...credentials.convercApi, baseUrl: options.apiAt } },
      staticData: options.stored ?? staticData,
      body: raw,
      headers: deliveryHeaders(vendor, raw, options.signWith ?? (await secret()), JSON.parse(body).type),
      mode: options.mode,
    });
    const result = await (options.via ?? node).webhook!.call(ctx.context as IWebhookFunctions);
    return { ...ctx, result, items: (result.workflowData?.[0] ?? []).map((item) => item.json) };
  };
  /** n8n's `trigger()` call as it activates the workflow; its close function is n8n taking the activation down. */
  const watch = async (activation: WorkflowActivateMode) => (await node.trigger!.call(triggerContext({ nodeType: 'converc', nodeId, parameters, credentials, staticData, activation })))!;
  return { staticData, hook, activate, deliver, secret, watch };
}

/** Fires one event at Converc; its delivery fails (nobody listens), and it stays in the recent events. */
async function fire(event = 'call.ended'): Promise<{ id: string; body: string }> {
  const answer = await call('POST', `${sim.url}/_control/fire`, { vendor: 'converc', event, wait: true });
  const [attempt] = (answer.body as { attempts: Attempt[] }).attempts;
  const body = attempt?.requestBody ?? JSON.stringify(freshSample(vendor, event, { id: `unsent-${Date.now()}`, at: new Date() }));
  return { id: (JSON.parse(body) as { id: string }).id, body };
}

/** Returns once the simulator's clock, which stamps events, has passed the activation just made. */
async function pastActivation(): Promise<void> {
  const activated = Date.now();
  while (Date.now() <= activated) await new Promise((resolve) => setTimeout(resolve, 1));
}

const ids = (items: IDataObject[]) => items.map((item) => item.id);
const recovered = (items: IDataObject[]) => items.filter((item) => (item.convhooks as IDataObject).recoveredFrom === 'api').map((item) => item.id);

describe('Converc catch-up', () => {
  it('recovers, on the first delivery after a restart, what was sent while n8n was down: once, oldest first, marked', async () => {
    const t = trigger();
    await t.activate('activate');
    const down = [await fire('call.ended'), await fire('call.transcript_ready'), await fire('call.ended')];
    await t.activate('init');
    const delivery = await fire('call.ended');
    const first = await t.deliver(delivery.body);
    // The trigger answers itself, so n8n saves static data before it starts the execution.
    expect(first.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(first.result.noWebhookResponse).toBe(true);
    expect(ids(first.items)).toEqual([...down.map((event) => event.id), delivery.id]);
    expect(recovered(first.items)).toEqual(down.map((event) => event.id));
    expect(first.items[0]!.convhooks).toEqual({
      vendor: 'converc',
      event: 'call.ended',
      dedupeKey: `converc:call.ended:${down[0]!.id}`,
      receivedAt: expect.any(String),
      verified: false,
      recoveredFrom: 'api',
      schemaIssues: [],
    });
    expect(first.items.at(-1)!.convhooks).toMatchObject({ verified: true });
    expect((first.items.at(-1)!.convhooks as IDataObject).recoveredFrom).toBeUndefined();

    // The same activation: no second poll, and what was recovered is never emitted again.
    const next = await fire('call.ended');
    const second = await t.deliver(next.body);
    expect(ids(second.items)).toEqual([next.id]);
    expect(second.response).toEqual({ statusCode: 200, body: { received: true } });
    const again = await fire('call.ended');
    await t.activate('init');
    const third = await t.deliver((await fire('call.ended')).body);
    expect(recovered(third.items)).toEqual([again.id]);
  });

  /** Activates as `mode`; then an event nobody takes is made after the activation, and the next one is delivered. */
  async function activatedThenDelivered(t: ReturnType<typeof trigger>, mode: WorkflowActivateMode) {
    await t.activate(mode);
    await pastActivation();
    const untaken = await fire('call.ended');
    const delivery = await fire('call.ended');
    const { items } = await t.deliver(delivery.body);
    return { untaken: untaken.id, delivery: delivery.id, items };
  }

  it('leaves what was made after a republish to its deliveries: in queue mode another processor may be taking it', async () => {
    const t = trigger();
    await t.activate('activate');
    await t.deliver((await fire('call.ended')).body);
    const down = await fire('call.ended');
    const { delivery, items } = await activatedThenDelivered(t, 'update');
    expect(ids(items)).toEqual([down.id, delivery]);
  });

  it('recovers up to now on the first delivery after n8n started, though its start-up activation came first: a queue-mode processor restarted with the main instance listens only after it', async () => {
    // This test's process loaded the node long before: a processor that started before the main instance activated.
    const t = trigger();
    await t.activate('activate');
    const down = await fire('call.ended');
    // `untaken`: refused while this process was still starting, after the main instance had activated the workflow.
    const first = await activatedThenDelivered(t, 'init');
    expect(ids(first.items)).toEqual([down.id, first.untaken, first.delivery]);
    expect(recovered(first.items)).toEqual([down.id, first.untaken]);

    // A process that has taken deliveries since was listening: what came after the activation is left to its deliveries.
    const second = await activatedThenDelivered(t, 'init');
    expect(ids(second.items)).toEqual([second.delivery]);
  });

  it('recovers nothing from before the first activation, or from while the workflow was unpublished', async () => {
    const t = trigger();
    await fire('call.ended');
    await t.activate('activate');
    const first = await fire('call.ended');
    expect(ids((await t.deliver(first.body)).items)).toEqual([first.id]);
    await t.hook('delete');
    await fire('call.ended');
    await fire('call.transcript_ready');
    await t.activate('activate');
    const afterPublish = await fire('call.ended');
    const delivered = await t.deliver(afterPublish.body);
    expect(ids(delivered.items)).toEqual([afterPublish.id]);
  });

  it('recovers across a republish, which continues the live period', async () => {
    const t = trigger();
    await t.activate('activate');
    await t.deliver((await fire('call.ended')).body);
    const during = await fire('call.transcript_ready');
    await t.activate('update');
    const delivery = await fire('call.ended');
    expect(ids((await t.deliver(delivery.body)).items)).toEqual([during.id, delivery.id]);
  });

  describe.each([
    { process: 'that took a delivery of the trigger (it holds its recent keys)', tookOne: true },
    { process: 'that took nothing yet (n8n restarted: static data may have lost keys)', tookOne: false },
  ])('in a process $process', ({ tookOne }) => {
    it(tookOne ? 'reaches back from the newest event taken by the delivery timeout, for one still on its way, and no further' : 'reaches back to the newest event taken, and no further', async () => {
      const t = trigger();
      await t.activate('activate');
      if (tookOne) await t.deliver((await fire('call.ended')).body);
      const now = Date.now();
      const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000);
      // As n8n saved it: published a minute ago, the newest event taken 20 s ago, activated just now.
      t.staticData.live = { since: at(60).toISOString(), activatedAt: new Date(now).toISOString(), lastSeen: at(20).toISOString() };
      const sent = async (id: string, secondsAgo: number) => {
        await call('POST', `${sim.url}/_control/fire`, { vendor: 'converc', event: 'call.ended', payload: freshSample(vendor, 'call.ended', { id, at: at(secondsAgo) }), wait: true });
        return id;
      };
      await sent(`before-gap-${triggers}`, 40);
      const onItsWay = await sent(`on-its-way-${triggers}`, 25);
      const lost = await sent(`lost-${triggers}`, 5);
      const delivery = await fire('call.ended');
      expect(ids((await t.deliver(delivery.body)).items)).toEqual([...(tookOne ? [onItsWay] : []), lost, delivery.id]);
    });
  });

  it('emits only the chosen events, though Converc answers a poll with events of other types as its doc shows', async () => {
    const t = trigger({ events: ['call.ended'] });
    await t.activate('activate');
    await fire('call.transcript_ready');
    const wanted = await fire('call.ended');
    await t.activate('init');
    const delivery = await fire('call.ended');
    expect(ids((await t.deliver(delivery.body)).items)).toEqual([wanted.id, delivery.id]);
  });

  it('answers the delivery and still emits it when the poll fails, and says so in the log', async () => {
    const t = trigger();
    await t.activate('activate');
    await fire('call.ended');
    await t.activate('init');
    const delivery = await fire('call.ended');
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'converc', status: 503, times: 2 });
    const answered = await t.deliver(delivery.body, { signWith: await t.secret() });
    expect(answered.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(ids(answered.items)).toEqual([delivery.id]);
    expect(answered.logs).toEqual([
      expect.stringMatching(/^warn: Converc catch-up could not read recent call\.ended events \(Converc is unavailable \(503\)\)/),
      expect.stringMatching(/^warn: Converc catch-up could not read recent call\.transcript_ready events/),
    ]);
  });

  it('retries a failed poll a minute later over the same gap, though deliveries taken meanwhile moved past it', async () => {
    const t = trigger({ events: ['call.ended'] });
    await t.activate('activate');
    const now = Date.now();
    const ago = (seconds: number) => new Date(now - seconds * 1000);
    // As n8n saved it: published two minutes ago, the newest event taken 40 s ago, activated just now.
    t.staticData.live = { since: ago(120).toISOString(), activatedAt: new Date(now).toISOString(), lastSeen: ago(40).toISOString() };
    const lost = `lost-${triggers}`;
    await call('POST', `${sim.url}/_control/fire`, { vendor: 'converc', event: 'call.ended', payload: freshSample(vendor, 'call.ended', { id: lost, at: ago(30) }), wait: true });
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'converc', status: 503, times: 1 });
    const failed = await fire('call.ended');
    expect(ids((await t.deliver(failed.body)).items)).toEqual([failed.id]);
    const meanwhile = await fire('call.ended');
    expect(ids((await t.deliver(meanwhile.body)).items)).toEqual([meanwhile.id]);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    try {
      const retried = await fire('call.ended');
      expect(ids((await t.deliver(retried.body)).items)).toEqual([lost, retried.id]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('answers a delivery when the poll is slow, and still emits what the poll brings', async () => {
    const t = trigger({ events: ['call.ended'] });
    await t.activate('activate');
    const lost = await fire('call.ended');
    await t.activate('init');
    const delivery = await fire('call.ended');
    await call('POST', `${sim.url}/_control/faults/api`, { vendor: 'converc', delayMs: 2000, times: 1 });
    const answered = await t.deliver(delivery.body, { signWith: await t.secret() });
    expect(answered.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(answered.result.noWebhookResponse).toBe(true);
    expect(ids(answered.items)).toEqual([lost.id, delivery.id]);
  });

  it('does not catch up with dedupe off, nor for a test delivery', async () => {
    const off = trigger({ dedupe: false });
    await off.activate('activate');
    await fire('call.ended');
    await off.activate('init');
    const delivery = await fire('call.ended');
    expect(ids((await off.deliver(delivery.body)).items)).toEqual([delivery.id]);

    const test = trigger();
    await test.activate('activate');
    await fire('call.ended');
    await test.activate('init');
    const manual = await test.deliver((await fire('call.ended')).body, { mode: 'manual' });
    expect(manual.items.filter((item) => (item.convhooks as IDataObject).recoveredFrom !== undefined)).toEqual([]);
  });

  it('never catches up for a refused delivery', async () => {
    const t = trigger();
    await t.activate('activate');
    await fire('call.ended');
    await t.activate('init');
    const forged = await t.deliver((await fire('call.ended')).body, { signWith: 'not-the-secret' });
    expect(forged.response.statusCode).toBe(401);
    expect(forged.result.workflowData).toBeUndefined();
  });
});

describe('Converc deliveries while n8n has taken the trigger\'s activation down', () => {
  it('are refused (503) and change nothing as n8n stops, and the next activation\'s catch-up brings them back', async () => {
    const t = trigger();
    await t.activate('activate');
    const running = await t.watch('activate');
    expect((await t.deliver((await fire()).body)).response.statusCode).toBe(200);
    await running.closeFunction!();
    const stopping = await fire('call.ended');
    const before = JSON.stringify(t.staticData);
    const refused = await t.deliver(stopping.body);
    expect(refused.response).toEqual({ statusCode: 503, body: { error: 'not_listening', message: expect.stringContaining('Converc') } });
    expect(refused.result).toEqual({ noWebhookResponse: true });
    expect(JSON.stringify(t.staticData)).toBe(before);

    await t.activate('init');
    await t.watch('init');
    const next = await fire('call.ended');
    const after = await t.deliver(next.body);
    expect(ids(after.items)).toEqual([stopping.id, next.id]);
    expect(recovered(after.items)).toEqual([stopping.id]);
  });

  /** A published trigger whose activation n8n has just taken down. */
  async function takenDown() {
    const t = trigger();
    await t.activate('activate');
    await (await t.watch('activate')).closeFunction!();
    return t;
  }

  it('are held while a republish puts the activation back, then taken', async () => {
    const t = await takenDown();
    const event = await fire('call.ended');
    // Signed beforehand, so the delivery reaches the trigger, and waits there, before the activation returns.
    const held = t.deliver(event.body, { signWith: await t.secret() });
    await t.watch('update');
    const taken = await held;
    expect(taken.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(ids(taken.items)).toEqual([event.id]);
  });

  it('never holds a test delivery: the editor listening takes it at once', async () => {
    const t = await takenDown();
    const event = await fire('call.ended');
    const test = await t.deliver(event.body, { mode: 'manual' });
    expect(ids(test.items)).toEqual([event.id]);
  });

  it('are taken again once the activation has stayed down longer than a stopping n8n lives: a main instance stepped down from leader still serves webhooks', async () => {
    const t = await takenDown();
    const event = await fire('call.ended');
    const secret = await t.secret();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 31_000);
    try {
      const taken = await t.deliver(event.body, { signWith: secret });
      expect(taken.response).toEqual({ statusCode: 200, body: { received: true } });
      expect(ids(taken.items)).toEqual([event.id]);
    } finally {
      clock.mockRestore();
    }
  });

  it('are recovered by the main instance that refused them once it takes deliveries again, after stepping down from leader while the new leader activated', async () => {
    const t = trigger();
    const newLeader = anotherProcess();
    await t.activate('activate');
    const leading = await t.watch('activate');
    // Both mains serve webhooks: each has taken deliveries.
    await t.deliver((await fire()).body, { via: newLeader });
    await t.deliver((await fire()).body);
    await leading.closeFunction!();
    await t.activate('leadershipChange');
    await pastActivation();
    const refused = [await fire('call.ended'), await fire('call.ended')];
    for (const event of refused) expect((await t.deliver(event.body)).response.statusCode).toBe(503);
    // The new leader takes the next one: the refused ones were made after its activation, so its catch-up leaves them.
    const taken = await fire('call.ended');
    expect(ids((await t.deliver(taken.body, { via: newLeader })).items)).toEqual([taken.id]);
    const secret = await t.secret();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 31_000);
    try {
      const next = await fire('call.ended');
      const after = await t.deliver(next.body, { signWith: secret });
      expect(after.response).toEqual({ statusCode: 200, body: { received: true } });
      expect(recovered(after.items)).toEqual(refused.map((event) => event.id));
      expect(ids(after.items).at(-1)).toBe(next.id);
    } finally {
      clock.mockRestore();
    }
  });

  it('stay taken when the old activation closes after the new one began', async () => {
    const t = trigger();
    await t.activate('activate');
    const old = await t.watch('activate');
    await t.watch('update');
    await old.closeFunction!();
    expect((await t.deliver((await fire()).body)).response).toEqual({ statusCode: 200, body: { received: true } });
  });
});

describe('a subscription just created, before n8n saves static data', () => {
  it('verifies its deliveries and puts it into the copy the delivery saves; refuses forgeries; forgets it on removal', async () => {
    const t = trigger();
    await t.activate('activate');
    const saved = structuredClone(t.staticData);
    // What a request loaded from the database before the activation saved: no subscription yet.
    const before: IDataObject = {};
    const delivery = await fire('call.ended');
    const accepted = await t.deliver(delivery.body, { stored: before });
    expect(accepted.response).toEqual({});
    expect(ids(accepted.items)).toEqual([delivery.id]);
    expect(before.subscriptions).toEqual(saved.subscriptions);

    const forged = await t.deliver((await fire('call.ended')).body, { stored: {}, signWith: 'not-the-secret' });
    expect(forged.response.statusCode).toBe(401);

    const secret = await t.secret();
    await t.hook('delete');
    const afterRemoval = await t.deliver((await fire('call.ended')).body, { stored: {}, signWith: secret });
    expect(afterRemoval.response).toMatchObject({ statusCode: 401, body: { error: 'no_secret' } });
  });
});

/** The trigger as another n8n process loads it: its own module instance, so its own memory. */
function anotherProcess(): INodeType {
  let loaded: INodeType | undefined;
  jest.isolateModules(() => {
    loaded = vendorPackage('converc').node;
  });
  return loaded!;
}

describe('a webhook processor whose copy of static data was loaded before an activation on the main instance', () => {
  it('verifies with the newer subscription it has seen and writes it back, over the removed one its copy holds', async () => {
    const t = trigger();
    const processor = anotherProcess();
    await t.activate('activate');
    const first = await t.secret();
    const accepted = await t.deliver((await fire('call.ended')).body, { stored: structuredClone(t.staticData), via: processor });
    expect(ids(accepted.items)).toHaveLength(1);
    // Loaded by a delivery of the first subscription before the main instance replaced it.
    const stale = structuredClone(t.staticData);
    await t.hook('delete');
    await t.activate('update');
    const second = await t.secret();
    expect(second).not.toBe(first);
    const saved = structuredClone(t.staticData.subscriptions);

    // Before the processor has seen the new record: its stale copy verifies the removed subscription only, and is written as it is.
    const early = structuredClone(stale);
    const inFlight = await t.deliver((await fire('call.ended')).body, { stored: early, signWith: first, via: processor });
    expect(ids(inFlight.items)).toHaveLength(1);
    expect(early.subscriptions).toEqual(stale.subscriptions);

    // Once one of its deliveries loaded the saved copy, every copy it writes carries the new subscription.
    await t.deliver((await fire('call.ended')).body, { stored: structuredClone(t.staticData), via: processor });
    const late = structuredClone(stale);
    const lateDelivery = await t.deliver((await fire('call.ended')).body, { stored: late, signWith: first, via: processor });
    expect(ids(lateDelivery.items)).toHaveLength(1);
    expect(late.subscriptions).toEqual(saved);

    // And where such a write already landed (the database holds the removed subscription), the new one's deliveries verify and put it back.
    const overwritten = structuredClone(stale);
    const healed = await t.deliver((await fire('call.ended')).body, { stored: overwritten, via: processor });
    expect(healed.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(overwritten.subscriptions).toEqual(saved);

    // A process that never loaded the new record cannot: nothing but the database and the main instance's memory hold its secret.
    const refused = await t.deliver((await fire('call.ended')).body, { stored: structuredClone(stale), via: anotherProcess() });
    expect(refused.response).toMatchObject({ statusCode: 401 });
  });
});

describe('a webhook processor refusing the deliveries of a subscription whose secret static data lost', () => {
  afterEach(() => jest.restoreAllMocks());

  /** The database as a stale write left it (`overwritten`): the removed subscription, where the live one is `lost`. */
  async function withLostSubscription() {
    const t = trigger();
    await t.activate('activate');
    await t.deliver((await fire('call.ended')).body);
    const overwritten = structuredClone(t.staticData);
    await t.hook('delete');
    await t.activate('update');
    const [lost] = (await remoteAt()).map((remote) => remote.id);
    return { t, overwritten, lost: lost! };
  }

  it('asks Converc what is subscribed, subscribes afresh once the stranger stayed a minute, and recovers what it refused', async () => {
    // In a process that never saw the new subscription.
    const { t, overwritten, lost } = await withLostSubscription();
    const processor = anotherProcess();
    const start = Date.now();
    const at = (offset: number) => jest.spyOn(Date, 'now').mockReturnValue(start + offset);

    const refused: string[] = [];
    for (const offset of [0, 31_000, 61_000]) {
      at(offset);
      const delivery = await fire('call.ended');
      refused.push(delivery.id);
      const answer = await t.deliver(delivery.body, { stored: overwritten, via: processor });
      expect(answer.response).toMatchObject({ statusCode: 401 });
    }
    // The last refusal came a minute after the first: the trigger holds a new subscription, the only one at its URL.
    const [now] = await remoteAt();
    expect(await remoteAt()).toHaveLength(1);
    expect(now!.id).not.toBe(lost);
    expect((overwritten.subscriptions as Record<string, { id: string }>)[PRODUCTION_URL]!.id).toBe(now!.id);

    at(62_000);
    const next = await fire('call.ended');
    const accepted = await t.deliver(next.body, { stored: overwritten, via: processor });
    expect(accepted.response).toEqual({ statusCode: 200, body: { received: true } });
    expect(recovered(accepted.items)).toEqual(expect.arrayContaining(refused));
    expect(ids(accepted.items).at(-1)).toBe(next.id);
  });

  /**
   * A lost subscription (a stale write left the database with the removed one) that two processes
   * have refused for a minute; each reaches Converc's API through `apiAt` where given.
   */
  async function twoHealers(apiAt: { first?: string; second?: string }) {
    const { t, overwritten, lost } = await withLostSubscription();
    const processes = { first: anotherProcess(), second: anotherProcess() };
    const copies = { first: structuredClone(overwritten), second: structuredClone(overwritten) };
    const start = Date.now();
    const at = (offset: number) => jest.spyOn(Date, 'now').mockReturnValue(start + offset);
    const refuse = async (by: 'first' | 'second') => {
      const answer = await t.deliver((await fire('call.ended')).body, { stored: copies[by], via: processes[by], apiAt: apiAt[by] });
      expect(answer.response).toMatchObject({ statusCode: 401 });
    };
    for (const offset of [0, 31_000]) {
      at(offset);
      await refuse('first');
      await refuse('second');
    }
    at(61_000);
    return { t, lost, stale: overwritten.subscriptions, copies, refuse, at };
  }

  it('two processes healing at once leave one subscription: the heal that created later sees the earlier one and removes its own', async () => {
    let send: () => void = () => undefined;
    const api = await convercApiVia({ beforeSending: new Promise<void>((resolve) => (send = resolve)) });
    const { t, lost, stale, copies, refuse } = await twoHealers({ second: api.baseUrl });
    // The second decides to heal on what it listed, and its create waits; meanwhile the first heals.
    const second = refuse('second');
    await api.createArrived;
    await refuse('first');
    const [healed] = await remoteAt();
    expect(healed!.id).not.toBe(lost);
    send();
    await second;

    expect((await remoteAt()).map((remote) => remote.id)).toEqual([healed!.id]);
    expect((copies.first.subscriptions as Record<string, { id: string }>)[PRODUCTION_URL]!.id).toBe(healed!.id);
    // The second wrote nothing into its copy, and a delivery that loads the healed copy verifies.
    expect(copies.second.subscriptions).toEqual(stale);
    const accepted = await t.deliver((await fire('call.ended')).body, { stored: copies.first });
    expect(accepted.response).toEqual({ statusCode: 200, body: { received: true } });
  });

  it('two heals that saw each other both give way, and the one whose new subscription had the smaller id heals a minute before the other', async () => {
    // Each create is answered only once both exist, so each heal lists the other's.
    const bothCreated = barrier(2);
    const apis = { first: await convercApiVia({ beforeAnswering: bothCreated }), second: await convercApiVia({ beforeAnswering: bothCreated }) };
    const { lost, refuse, at } = await twoHealers({ first: apis.first.baseUrl, second: apis.second.baseUrl });
    await Promise.all([refuse('first'), refuse('second')]);
    expect((await remoteAt()).map((remote) => remote.id)).toEqual([lost]);

    const [sooner, later] = (await apis.first.created) < (await apis.second.created) ? (['first', 'second'] as const) : (['second', 'first'] as const);
    at(122_000);
    await refuse(later);
    expect((await remoteAt()).map((remote) => remote.id)).toEqual([lost]);
    await refuse(sooner);
    const [healed] = await remoteAt();
    expect(healed!.id).not.toBe(lost);
    at(183_000);
    // The other now finds a subscription it does not hold in place of the lost one: it waits to learn it, and heals nothing.
    await refuse(later);
    expect((await remoteAt()).map((remote) => remote.id)).toEqual([healed!.id]);
  });

  it('leaves the subscription alone when only forgeries are refused: Converc lists nothing the trigger does not hold', async () => {
    const t = trigger();
    await t.activate('activate');
    const before = (await remoteAt()).map((remote) => remote.id);
    const processor = anotherProcess();
    const start = Date.now();
    for (const offset of [0, 31_000, 61_000, 92_000]) {
      jest.spyOn(Date, 'now').mockReturnValue(start + offset);
      // Signed with another secret, against the copy that holds the subscription: every minute a check, never a change.
      const forged = await t.deliver((await fire('call.ended')).body, { stored: structuredClone(t.staticData), signWith: 'not-the-secret', via: processor });
      expect(forged.response).toMatchObject({ statusCode: 401 });
    }
    expect((await remoteAt()).map((remote) => remote.id)).toEqual(before);
  });
});

const afterEachClose: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of afterEachClose.splice(0)) await close();
});

/** Resolves for everyone once `count` have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === count) open();
    return opened;
  };
}

/**
 * Converc's API as one process reaches it, through a proxy that holds its first subscription
 * create: before sending it on, or, once made, before answering it. Closed after the test.
 */
async function convercApiVia(hold: { beforeSending?: Promise<void>; beforeAnswering?: () => Promise<void> }) {
  let arrived: () => void = () => undefined;
  const createArrived = new Promise<void>((resolve) => (arrived = resolve));
  let made: (id: string) => void = () => undefined;
  const created = new Promise<string>((resolve) => (made = resolve));
  let held = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const holding = !held && request.method === 'POST' && request.url === '/converc/integrations/webhooks';
      if (holding) {
        held = true;
        arrived();
        await hold.beforeSending;
      }
      const body = Buffer.concat(chunks);
      const answer = await fetch(`${sim.url}${request.url}`, {
        method: request.method,
        headers: { authorization: String(request.headers.authorization), 'content-type': 'application/json' },
        body: body.length > 0 ? body : undefined,
      });
      const answered = Buffer.from(await answer.arrayBuffer());
      if (holding) {
        made((JSON.parse(answered.toString()) as { webhook: { id: string } }).webhook.id);
        await hold.beforeAnswering?.();
      }
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(answered);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterEachClose.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/converc`, createArrived, created };
}

async function remoteAt(): Promise<Array<{ id: string }>> {
  const hooks = (await call('GET', `${sim.url}/_control/webhooks?vendor=converc`)).body as Array<{ id: string; url: string; active: boolean }>;
  return hooks.filter((remote) => remote.active && remote.url === PRODUCTION_URL);
}
