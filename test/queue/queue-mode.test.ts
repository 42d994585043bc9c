/**
 * The triggers in n8n queue mode: PostgreSQL and Redis, a main instance that activates, two
 * webhook processors behind a load balancer that receive, and a worker that executes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliveryHeaders, parseEvent, VENDOR_IDS, VENDORS, type VendorDefinition, type VendorId } from '../../shared';
import { deployTrigger, executionsAfterQuiet, executionsOf, liveAt, settledStaticData, storedStaticData, subscriptionHeld, triggerItem, type Deployment } from '../../harness/deployment';
import type { EditableWorkflow, Execution } from '../../harness/n8n-api';
import type { Subscription } from '../../simulator';
import { ARTIFACTS_DIR } from '../../harness/paths';
import { harnessPort } from '../../harness/ports';
import type { Routing } from '../../harness/balancer';
import { crashedUnrunKeys, failedAttempts, measureLossWindows, queueRestarts, triggerRuns, type LossCase, type LossRow } from '../../harness/loss-window';
import { lossTable } from '../../harness/loss-window-report';
import { startQueueStack, type QueueStack } from '../../harness/queue-stack';
import { fire, post, setDeliveryFaults } from '../../harness/traffic';
import { pause, waitFor } from '../../harness/wait';

jest.setTimeout(180_000);

let stack: QueueStack;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  stack = await startQueueStack({ basePort: harnessPort(5720), name: 'queue', simulator: { timeScale: 0.001 } });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(join(ARTIFACTS_DIR, 'queue-mode.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`Queue-mode figures: ${JSON.stringify(figures)}`);
}, 120_000);

/** Which processors answered requests for a deployment's production URL, from the balancer's log. */
function processorsFor(deployment: Deployment, since = 0): number[] {
  const path = new URL(deployment.productionUrl).pathname;
  return stack.balancer.routed().slice(since).filter((entry) => entry.path === path).map((entry) => entry.processor);
}

/** A deployment's production URL on one processor, past nginx: for checks that must reach each processor. */
const atProcessor = (deployment: Deployment, processor: { readonly url: string }) => deployment.productionUrl.replace(stack.webhookBase, processor.url);

/** Executions the worker's log says it finished. */
const finishedByWorker = () => new Set([...readFileSync(stack.worker.logFile, 'utf8').matchAll(/Worker finished execution (\d+) /g)].map((match) => match[1]));

describe.each(VENDOR_IDS)('%s trigger in queue mode', (vendorId) => {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const [event] = Object.keys(vendor.events) as [string];
  const isApi = vendor.registration.kind === 'api';

  it('subscribes once, runs each signed event once whichever processor gets it, refuses forgeries on both, and unsubscribes', async () => {
    await stack.balancer.route('round-robin');
    const deployment = await deployTrigger(stack, vendorId, { events: [event] });
    await deployment.publish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toEqual([expect.objectContaining({ events: [event] })]);

    const fired = [];
    for (let index = 0; index < 4; index += 1) fired.push(await fire(stack, vendorId, event));
    expect(fired.map((delivery) => delivery.attempts.map((attempt) => attempt.status))).toEqual([[200], [200], [200], [200]]);
    expect(new Set(processorsFor(deployment))).toEqual(new Set([0, 1]));

    const executions = await executionsOf(stack, deployment.id, 4);
    expect(executions.map((execution) => execution.status)).toEqual(['success', 'success', 'success', 'success']);
    const received = executions.map((execution) => {
      const { convhooks, ...payload } = triggerItem(execution, deployment.triggerName)!;
      expect(convhooks).toMatchObject({ vendor: vendorId, event, verified: true, schemaIssues: [] });
      return JSON.stringify(payload);
    });
    const sent = fired.map((delivery) => JSON.stringify(JSON.parse(delivery.attempts[0]!.requestBody)));
    expect([...received].sort()).toEqual([...sent].sort());
    const byWorker = finishedByWorker();
    expect(executions.filter((execution) => !byWorker.has(execution.id))).toEqual([]);

    const body = Buffer.from(JSON.stringify(vendor.events[event]!.sample));
    const forgedHeaders = deliveryHeaders(vendor, body, 'not-the-secret', event);
    for (const processor of stack.processors) {
      expect(await post(atProcessor(deployment, processor), body, forgedHeaders)).toEqual({ status: 401, body: expect.stringContaining('"error":"signature_mismatch"') });
    }
    expect(await executionsAfterQuiet(stack, deployment.id)).toHaveLength(4);

    await deployment.unpublish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toEqual([]);
    for (const processor of stack.processors) {
      expect((await post(atProcessor(deployment, processor), body, deliveryHeaders(vendor, body, 'any', event))).status).toBe(404);
    }
  });
});

// The queue stack runs with the n8n settings recommended for webhook volume (harness/n8n-tuning.ts), which defer the expression isolate.
describe('expressions after the trigger under the recommended settings', () => {
  it('a Set node mapping the trigger\'s item with expressions evaluates on the worker', async () => {
    const mapped = { name: 'Mapped', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: {
      mode: 'manual',
      includeOtherFields: false,
      assignments: { assignments: [
        { id: 'event', name: 'event', value: '={{ $json.convhooks.event }}', type: 'string' },
        { id: 'person', name: 'person', value: "={{ $json.data.entity.name.toUpperCase() }}", type: 'string' },
      ] },
      options: {},
    } };
    const deployment = await deployTrigger(stack, 'konver', { events: ['person.created'], downstream: [mapped] });
    await deployment.publish();
    const { attempts } = await fire(stack, 'konver', 'person.created');
    expect(attempts.map((attempt) => attempt.status)).toEqual([200]);
    const sent = JSON.parse(attempts[0]!.requestBody) as { data: { entity: { name: string } } };
    const [execution] = await executionsOf(stack, deployment.id, 1);
    expect(execution!.status).toBe('success');
    expect(execution!.data!.resultData!.runData!.Mapped?.[0]?.data?.main?.[0]?.map((item) => item.json)).toEqual([{ event: 'person.created', person: sent.data.entity.name.toUpperCase() }]);
    expect(finishedByWorker().has(execution!.id)).toBe(true);
    await deployment.unpublish();
  });
});

describe('Konvox retries across webhook processors', () => {
  afterEach(() => setDeliveryFaults(stack, 'konvox', { loseAnswers: 0 }));

  it.each([
    [true, 1],
    [false, 3],
  ])('with dedupe %s, a delivery whose first two answers were lost runs %i time(s) though its attempts hit both processors', async (dedupe, runs) => {
    await stack.balancer.route('round-robin');
    const deployment = await deployTrigger(stack, 'konvox', { events: ['contact.replied'], options: { dedupe } });
    await deployment.publish();
    await setDeliveryFaults(stack, 'konvox', { loseAnswers: 2 });
    const [subscription] = await liveAt(stack, 'konvox', deployment.productionUrl);
    const fired = await fire(stack, 'konvox', 'contact.replied', { webhookId: subscription!.id });
    expect(fired.attempts.map((attempt) => attempt.status)).toEqual([null, null, 200]);
    expect(new Set(processorsFor(deployment))).toEqual(new Set([0, 1]));
    await executionsOf(stack, deployment.id, runs);
    expect(await executionsAfterQuiet(stack, deployment.id)).toHaveLength(runs);
    await deployment.unpublish();
  });
});

describe('restarts in queue mode', () => {
  it('keeps one subscription through a main restart and a rolling restart of the processors, and a retry after them is still recognised', async () => {
    await stack.balancer.route('round-robin');
    const converc = await deployTrigger(stack, 'converc', { events: ['*'], name: 'Restarts: Converc' });
    const konvox = await deployTrigger(stack, 'konvox', { events: ['*'], name: 'Restarts: Konvox' });
    await converc.publish();
    await konvox.publish();
    const [konvoxSubscription] = await liveAt(stack, 'konvox', konvox.productionUrl);
    const delivered = await fire(stack, 'konvox', 'contact.replied', { webhookId: konvoxSubscription!.id });
    expect(delivered.attempts.map((attempt) => attempt.status)).toEqual([200]);
    await executionsOf(stack, konvox.id, 1);

    await stack.main.restart();
    for (const processor of stack.processors) await processor.restart();

    expect(await liveAt(stack, 'converc', converc.productionUrl)).toHaveLength(1);
    const [event] = Object.keys(VENDORS.converc.events) as [string];
    expect((await fire(stack, 'converc', event)).attempts.map((attempt) => attempt.status)).toEqual([200]);
    await executionsOf(stack, converc.id, 1);

    // Konvox retrying that delivery now, straight to each processor (which one nginx picks after
    // restarts is its own business): neither has it in memory, both read it from static data.
    const [{ requestHeaders, requestBody }] = delivered.attempts as [(typeof delivered.attempts)[number]];
    for (const processor of stack.processors) {
      expect(await post(atProcessor(konvox, processor), requestBody, requestHeaders)).toEqual({ status: 200, body: '{"received":true,"duplicate":true}' });
    }
    expect(await executionsAfterQuiet(stack, konvox.id)).toHaveLength(1);
    await converc.unpublish();
    await konvox.unpublish();
  });
});

describe('republishing a live Converc trigger under traffic', () => {
  let deployment: Deployment;
  let answers: Record<string, number> = {};
  /** Events the senders' deliveries did not get accepted: Converc never sends them again. */
  let refused: string[] = [];
  let sending = true;
  let paused = false;
  let inFlight = 0;
  /** Times a late write undid the new subscription n8n had saved. */
  let undone = 0;
  let senders: Promise<void>[] = [];

  const record = ({ status, requestBody }: { status: number | null; requestBody: string }) => {
    answers[String(status)] = (answers[String(status)] ?? 0) + 1;
    if (status !== 200) refused.push((JSON.parse(requestBody) as { id: string }).id);
  };
  const withEvents = (events: readonly string[]) => (workflow: EditableWorkflow) => ({
    ...workflow,
    nodes: workflow.nodes.map((node) => (node.name === deployment.triggerName ? { ...node, parameters: { ...node.parameters, events } } : node)),
  });

  beforeAll(async () => {
    await stack.balancer.route('round-robin');
    deployment = await deployTrigger(stack, 'converc', { events: ['call.ended'], name: 'Republished under traffic' });
    await deployment.publish();
    // Four senders deliver continuously while the workflow is republished.
    senders = Array.from({ length: 4 }, async () => {
      while (sending) {
        if (paused) {
          await pause(20);
          continue;
        }
        inFlight += 1;
        try {
          for (const attempt of (await fire(stack, 'converc', 'call.ended')).attempts) record(attempt);
        } finally {
          inFlight -= 1;
        }
      }
    });
  });

  /**
   * Stops the senders until `resume`, once what they sent is answered and written back. A delivery of
   * the old subscription, loaded before the change, writes its whole copy of static data back after
   * n8n saved the new subscription (seen: a processor's write landing 34 ms after the main instance's,
   * and the next delivery refused until a later write put the new record back): a check made
   * meanwhile sees a state that write then undoes.
   */
  async function quiesce(): Promise<void> {
    paused = true;
    await waitFor('the senders\' deliveries to be answered', async () => inFlight, (count) => count === 0);
    await settledStaticData(stack, deployment.id);
  }
  const resume = () => {
    paused = false;
  };
  /**
   * The subscription the trigger holds once no delivery is under way. Should a late write have undone
   * n8n's save, the senders run again: a refused delivery is what makes the trigger heal
   * (nodes/trigger/lost-subscription.ts).
   */
  async function heldOnceSettled(): Promise<Subscription> {
    for (let settling = 1; ; settling += 1) {
      const live = await subscriptionHeld(stack, 'converc', deployment.id, deployment.productionUrl);
      await quiesce();
      if ((await storedStaticData(stack, deployment.id)).includes(live.id)) return live;
      undone += 1;
      if (settling === 3) throw new Error(`Three times a late write undid the stored subscription ${live.id}.`);
      resume();
    }
  }

  afterAll(async () => {
    sending = false;
    await Promise.all(senders);
    await deployment.unpublish();
  });

  it('after each change of events: one subscription with the new events, and the next delivery verifies', async () => {
    answers = {};
    refused = [];
    const selections = [['call.ended', 'call.recording_ready'], ['call.ended']];
    for (let cycle = 0; cycle < 4; cycle += 1) {
      await pause(500);
      const events = selections[cycle % 2]!;
      await stack.api.publishEdited(deployment.id, withEvents(events));
      await waitFor('the new subscription', () => liveAt(stack, 'converc', deployment.productionUrl), (hooks) => hooks.length === 1 && hooks[0]!.events.length === events.length);
      // n8n saves the new subscription's secret when activation ends; once the writes of deliveries under way have landed, every delivery verifies.
      const live = await heldOnceSettled();
      expect(live.events).toEqual(expect.arrayContaining(events));
      expect(live.events).toHaveLength(events.length);
      const probe = await fire(stack, 'converc', 'call.ended', { webhookId: live.id });
      // Verified either way: a processor's catch-up may have taken the event while it was on its way.
      expect(probe.attempts.map((attempt) => [attempt.status, JSON.parse(attempt.responseBody ?? '{}').received])).toEqual([[200, true]]);
      resume();
    }
    figures['4 changes of events under 4 senders: answers'] = answers;
    figures['4 changes of events under 4 senders: late writes that undid the new subscription'] = undone;
    // Each processor catches up on its first verified delivery after each change. Measured, not
    // promised: with round-robin balancing not every refused event comes back (docs/n8n.md, "Catch-up").
    const lost = [...refused];
    const executions = await executionsAfterQuiet(stack, deployment.id, 3000);
    const executed = executions.flatMap((execution) => (execution.data?.resultData?.runData?.[deployment.triggerName]?.[0]?.data?.main?.[0] ?? []).map((item) => String(item.json.id)));
    const counts = new Map<string, number>();
    for (const id of executed) counts.set(id, (counts.get(id) ?? 0) + 1);
    figures['4 changes of events under 4 senders: catch-up'] = {
      refused: lost.length,
      recovered: lost.filter((id) => counts.has(id)).length,
      eventsRunTwice: [...counts.values()].filter((count) => count > 1).length,
      events: counts.size,
    };
  });

  it('an edit that leaves the trigger alone keeps the subscription, and every delivery meanwhile is accepted', async () => {
    const [before] = await liveAt(stack, 'converc', deployment.productionUrl);
    answers = {};
    for (let cycle = 0; cycle < 4; cycle += 1) {
      await pause(500);
      await stack.api.publishEdited(deployment.id, (workflow) => ({ ...workflow, name: `Republished under traffic (${cycle})` }));
    }
    await pause(1000);
    expect(await liveAt(stack, 'converc', deployment.productionUrl)).toEqual([expect.objectContaining({ id: before!.id })]);
    expect(Object.keys(answers)).toEqual(['200']);
    figures['4 other edits under 4 senders: answers'] = answers;
  });
});

/**
 * A burst of distinct Konvox events, every first answer lost, so every event is retried while
 * others are in flight. n8n gives a webhook node no atomic store shared by processors: static
 * data is loaded when a request starts and saved whole when it ends, so concurrent deliveries on
 * two processors overwrite each other's dedupe keys, and a retry of an overwritten key runs again.
 */
describe('dedupe under a burst of retried deliveries', () => {
  const BURST = 30;

  interface Burst {
    readonly events: number;
    /** Distinct events among the executions: equal to `events` when none was lost. */
    readonly distinct: number;
    readonly executions: number;
    readonly processors: number;
  }

  async function burst(routing: Routing): Promise<Burst> {
    await stack.balancer.route(routing);
    const deployment = await deployTrigger(stack, 'konvox', { events: ['contact.replied'], name: `Burst: ${routing}` });
    await deployment.publish();
    const [subscription] = await liveAt(stack, 'konvox', deployment.productionUrl);
    await setDeliveryFaults(stack, 'konvox', { loseAnswers: 1 });
    try {
      // Konvox events carry no id and are deduped by a digest of the body: each gets its own timestamp.
      const sample = VENDORS.konvox.events['contact.replied']!.sample as Record<string, unknown>;
      const payload = (index: number) => ({ ...sample, timestamp: new Date(Date.now() + index).toISOString() });
      const fired = await Promise.all(
        Array.from({ length: BURST }, (_, index) => fire(stack, 'konvox', 'contact.replied', { webhookId: subscription!.id, payload: payload(index) })),
      );
      expect(fired.map((delivery) => delivery.attempts.at(-1)?.status)).toEqual(Array(BURST).fill(200));
      const executions = await executionsAfterQuiet(stack, deployment.id, 5000);
      const keys = new Set(executions.map((execution) => (triggerItem(execution, deployment.triggerName)?.convhooks as { dedupeKey?: string } | undefined)?.dedupeKey));
      const missing = fired.filter((delivery) => {
        const parsed = parseEvent(VENDORS.konvox, Buffer.from(delivery.attempts[0]!.requestBody));
        return !parsed.ok || !keys.has(parsed.dedupeKey);
      });
      const result = { events: BURST, distinct: BURST - missing.length, executions: executions.length, processors: new Set(processorsFor(deployment)).size };
      if (missing.length > 0) console.log(`Events without an execution: ${JSON.stringify(missing)}`);
      figures[`burst of ${BURST}, ${routing}`] = result;
      return result;
    } finally {
      await setDeliveryFaults(stack, 'konvox', { loseAnswers: 0 });
      await deployment.unpublish();
    }
  }

  describe('spread in turn over both processors', () => {
    let result: Burst;
    beforeAll(async () => {
      result = await burst('round-robin');
    }, 180_000);

    it('loses no event', () => {
      expect(result.processors).toBe(2);
      expect(result.distinct).toBe(result.events);
    });

    // The limit, shown: some retried events run twice.
    it.failing('runs each event exactly once', () => {
      expect(result.executions).toBe(result.events);
    });
  });

  // The workaround docs/operations.md gives: route by path, so one trigger's deliveries meet in one process.
  describe('routed by path', () => {
    let result: Burst;
    beforeAll(async () => {
      result = await burst('by-path');
    }, 180_000);

    it('runs each event exactly once, in one processor', () => {
      expect(result).toEqual({ events: BURST, distinct: BURST, executions: BURST, processors: 1 });
    });
  });
});

/** One vendor through one restart case, routed as given, at one event a second (`npm run loss-windows` measures every case). */
async function reducedLossRow(routing: Routing, mode: string, vendor: VendorId, lossCase: LossCase): Promise<LossRow> {
  await stack.balancer.route(routing);
  const [row] = (await measureLossWindows({ mode, stack, vendors: [vendor], cases: [lossCase], ratePerSecond: 1, leadMs: 2000, restarts: queueRestarts(stack) })) as [LossRow];
  console.log(`Loss windows, reduced:\n${lossTable([row])}`);
  return row;
}

/**
 * A rolling restart of queue mode under continuous delivery, at reduced counts (`npm run
 * loss-windows` measures every case): one process at a time, each processor out of nginx's
 * rotation while it restarts. What it loses varies from run to run; what must hold does not.
 */
describe('a rolling restart with each processor drained, under continuous delivery', () => {
  let row: LossRow;

  beforeAll(async () => {
    row = await reducedLossRow('round-robin', 'queue mode', 'konver', 'drained-rolling-restart');
  }, 600_000);

  // n8n's own race at the main instance's start can mark an accepted event's execution crashed before
  // it runs (LossRow.crashedUnrun); the execution keeps its items for a retry, and the count is not ours to hold at 0.
  it('runs every event answered 2xx exactly once unless n8n marked its execution crashed, and loses only events whose one attempt n8n did not accept', () => {
    expect(row).toMatchObject({ acceptedNotRunOnce: 0, duplicated: 0, noSubscription: 0 });
    const { failed, refused } = failedAttempts(row);
    // An attempt that timed out may still have run; one that was refused did not.
    expect(row.lost - row.crashedUnrun).toBeGreaterThanOrEqual(refused);
    expect(row.lost - row.crashedUnrun).toBeLessThanOrEqual(failed);
    expect(row.answers['200']).toBeGreaterThan(0);
  });
});

/**
 * A restart of every process at once, the processors taken out of the balancer first: nothing is
 * in flight at a processor as it stops, so nothing is answered 200 and then dropped, and routed by
 * path one processor catches a Converc trigger up. What nginx refused meanwhile comes back.
 */
describe('a restart of every process at once, the processors out of the balancer first, routed by path', () => {
  let row: LossRow;

  beforeAll(async () => {
    row = await reducedLossRow('by-path', 'queue mode, by path', 'converc', 'drained-restart');
  }, 600_000);

  it('loses no Converc event and runs none twice: catch-up brings back every one nginx refused', () => {
    expect(row).toMatchObject({ lost: 0, duplicated: 0, acceptedNotRunOnce: 0, crashedUnrun: 0 });
    expect(row.answers['502']).toBeGreaterThan(0);
    // Each refused event ran from catch-up alone; one whose attempt timed out may have run from its delivery.
    const { failed, refused } = failedAttempts(row);
    expect(row.recovered).toBeGreaterThanOrEqual(refused);
    expect(row.recovered).toBeLessThanOrEqual(failed);
  });
});

/**
 * What n8n's race at the main instance's start leaves (`LossRow.crashedUnrun`), made on purpose:
 * the execution of an accepted delivery whose job the queue no longer holds when main starts.
 * Last in the suite: it empties the queue and restarts main.
 */
describe('an accepted event whose execution n8n marks crashed before it runs', () => {
  const redis = (...command: string[]) => execFileSync('redis-cli', ['-p', String(stack.redisPort), ...command]).toString().trim();

  it('is counted as crashed before it ran, keeps the trigger\'s item, and runs when retried', async () => {
    const [event] = Object.keys(VENDORS.konver.events) as [string];
    const deployment = await deployTrigger(stack, 'konver', { events: [event] });
    await deployment.publish();
    let crashed: Execution | undefined;
    let retry: Promise<unknown> | undefined;
    await stack.worker.restart(async () => {
      const { attempts } = await fire(stack, 'konver', event);
      // Konver also delivers to the URLs earlier tests entered in its settings.
      expect(attempts.filter((attempt) => attempt.url === deployment.productionUrl).map((attempt) => attempt.status)).toEqual([200]);
      // With no worker the job waits in Redis; taking it out is the race's outcome: a new execution without a job.
      redis('DEL', 'bull:jobs:wait', 'bull:jobs:priority');
      await stack.main.restart();
      [crashed] = await waitFor('n8n\'s queue recovery to mark the execution crashed', () => stack.api.allExecutions(deployment.id, true), (all) => all[0]?.status === 'crashed');
      // Asked while no worker runs: n8n answers a retry when Bull reports its job finished, and a job a
      // running worker finishes before main has subscribed to that report is removed unseen (bull 4.16's
      // Job.finished with n8n's removeOnComplete 0), leaving the answer to wait forever.
      retry = stack.api.call('POST', `/executions/${crashed!.id}/retry`, {});
      await waitFor('main to queue the retried execution', async () => redis('LLEN', 'bull:jobs:wait'), (waiting) => waiting !== '0');
    });
    await retry;
    const keys = crashedUnrunKeys(crashed!, deployment.triggerName);
    expect(keys).toEqual([expect.stringMatching(/^konver:/)]);
    expect(triggerRuns(crashed!, deployment.triggerName)).toEqual([]);

    const all = await executionsOf(stack, deployment.id, 2);
    const retried = all.filter((execution) => execution.id !== crashed!.id);
    expect(retried.map((execution) => execution.status)).toEqual(['success']);
    expect(triggerRuns(retried[0]!, deployment.triggerName).map((run) => run.dedupeKey)).toEqual(keys);
    await deployment.unpublish();
  }, 300_000);
});
