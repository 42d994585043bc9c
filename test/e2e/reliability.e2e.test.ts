/**
 * Hostile input, lost events and stranded subscriptions, measured in a real n8n. `npm test`
 * runs reduced counts; `npm run soak` runs the full ones (SOAK_EVENTS, CHAOS_CYCLES).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDORS } from '../../shared';
import { deployTrigger, executionsAfterQuiet, liveAt, triggerItem, type Deployment } from '../../harness/deployment';
import { fire, setApiFaults } from '../../harness/traffic';
import { startFlakyProxy } from '../../harness/flaky-proxy';
import { ARTIFACTS_DIR } from '../../harness/paths';
import { harnessPort } from '../../harness/ports';
import { startStack, type Stack } from '../../harness/stack';
import { waitFor } from '../../harness/wait';
import { matrixCases, sendRaw } from './hostile-requests';

const SOAK_EVENTS = Number(process.env.SOAK_EVENTS ?? 300);
const SOAK_CONCURRENCY = 20;
const CHAOS_CYCLES = Number(process.env.CHAOS_CYCLES ?? 6);

jest.setTimeout(Math.max(300_000, SOAK_EVENTS * 200));

let stack: Stack;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  // Konvox's own 10-second answer timeout: an answer n8n gives under load is never taken for a lost one; only the proxy's held answers are.
  stack = await startStack({ n8nPort: harnessPort(5716), name: 'reliability', simulator: { timeScale: 0.0005 } });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(join(ARTIFACTS_DIR, 'reliability.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`Reliability figures: ${JSON.stringify(figures, null, 2)}`);
}, 60_000);

const markerOf = (item: Record<string, any> | undefined) => item?.id ?? item?.data?.conversationId;

describe('hostile-input matrix', () => {
  const cases = matrixCases();
  const deployments: Partial<Record<'konver' | 'convo', Deployment>> = {};

  beforeAll(async () => {
    for (const vendor of ['konver', 'convo'] as const) {
      deployments[vendor] = await deployTrigger(stack, vendor, { events: ['*'], name: `Matrix: ${vendor}` });
      await deployments[vendor]!.publish();
    }
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const deployment = deployments[c.vendor]!;
    const answer = await sendRaw(deployment.productionUrl, c.request(await deployment.secret()));
    expect(typeof c.status === 'number' ? [c.status] : c.status).toContain(answer.status);
    if (c.error) expect(JSON.parse(answer.body)).toMatchObject({ error: c.error, message: expect.any(String) });
    if (!c.runs) return;
    const executions = await waitFor(`the execution for ${c.marker}`, () => stack.api.executions(deployment.id), (all) => all.some((e) => markerOf(triggerItem(e, deployment.triggerName)) === c.marker));
    const item = triggerItem(executions.find((e) => markerOf(triggerItem(e, deployment.triggerName)) === c.marker), deployment.triggerName);
    if (c.item) expect(item).toMatchObject(c.item);
    expect(JSON.stringify(item)).not.toMatch(/"__proto__":|"polluted"/);
  });

  it('started exactly one execution per accepted case, and none for the others', async () => {
    for (const vendor of ['konver', 'convo'] as const) {
      const deployment = deployments[vendor]!;
      const markers = (await executionsAfterQuiet(stack, deployment.id, 2000)).map((e) => markerOf(triggerItem(e, deployment.triggerName)));
      const expected = cases.filter((c) => c.vendor === vendor && c.runs).map((c) => c.marker);
      expect([...markers].sort()).toEqual([...expected].sort());
    }
    figures.matrix = { cases: cases.length, accepted: cases.filter((c) => c.runs).length, refused: cases.filter((c) => !c.runs).length };
  });
});

describe('soak: signed events through a flaky network, with Konvox retries', () => {
  it(`delivers ${SOAK_EVENTS} events at concurrency ${SOAK_CONCURRENCY} exactly once each`, async () => {
    let proxy: Awaited<ReturnType<typeof startFlakyProxy>> | undefined;
    const deployment = await deployTrigger(stack, 'konvox', {
      events: ['*'],
      name: 'Soak: Konvox',
      deliverVia: async (productionUrl) => {
        proxy = await startFlakyProxy({ target: productionUrl, refuse: 0.08, loseAnswer: 0.08, hold: 0.02, holdMs: 11_000, disturbedAttempts: 2, seed: 20261123 });
        return proxy.url;
      },
    });
    await deployment.publish();
    try {
      const sample = VENDORS.konvox.events['enrollment.created'].sample;
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        for (let index = next++; index < SOAK_EVENTS; index = next++) {
          const payload = { ...sample, timestamp: new Date().toISOString(), data: { ...sample.data, enrollmentId: `soak-${index}` } };
          const { attempts } = await fire(stack, 'konvox', 'enrollment.created', { payload });
          expect(attempts.at(-1)?.outcome).toBe('delivered');
        }
      };
      await Promise.all(Array.from({ length: SOAK_CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;
      const executions = await waitFor(`${SOAK_EVENTS} executions`, () => stack.api.allExecutions(deployment.id, false), (all) => all.length >= SOAK_EVENTS, SOAK_EVENTS * 200);
      const all = await executionsAfterQuiet(stack, deployment.id, 3000);
      const delivered = all.map((e) => (triggerItem(e, deployment.triggerName) as Record<string, any> | undefined)?.data?.enrollmentId as string);
      expect(all.filter((e) => e.status !== 'success')).toEqual([]);
      expect(new Set(delivered).size).toBe(SOAK_EVENTS);
      expect(all).toHaveLength(SOAK_EVENTS);
      figures.soak = {
        events: SOAK_EVENTS,
        concurrency: SOAK_CONCURRENCY,
        seconds: Math.round(seconds),
        eventsPerSecond: Number((SOAK_EVENTS / seconds).toFixed(1)),
        // The proxy sees every attempt; the simulator's log keeps only the latest 10 000.
        deliveryAttempts: proxy!.stats.refused + proxy!.stats.forwarded,
        refusedByNetwork: proxy!.stats.refused,
        answersLost: proxy!.stats.answersLost,
        answersLate: proxy!.stats.held,
        retriesAbsorbedByDedupe: proxy!.stats.duplicatesAnswered,
        executions: executions.length,
        lost: SOAK_EVENTS - new Set(delivered).size,
      };
      expect(proxy!.stats.duplicatesAnswered).toBeGreaterThan(0);
    } finally {
      await deployment.unpublish();
      await proxy?.close();
    }
  });
});

describe('lifecycle chaos', () => {
  type Fault = 'none' | 'outage' | 'rate limit' | 'deleted out of band' | 'n8n restarted' | 'slow vendor';
  const FAULTS: Fault[] = ['outage', 'rate limit', 'deleted out of band', 'n8n restarted', 'none', ...(CHAOS_CYCLES >= 20 ? (['slow vendor'] as Fault[]) : [])];

  it(`${CHAOS_CYCLES} publish/unpublish cycles per API vendor leave no stranded or duplicate subscription`, async () => {
    // n8n publishes in the background: a failed activation reaches the editor as a push
    // message and the server log, with the node's error; the log is what a test can read.
    const reportsOf = (message: string) => readFileSync(stack.n8n.logFile, 'utf8').split(message).length - 1;
    const deployments = await Promise.all((['converc', 'convo'] as const).map((vendor) => deployTrigger(stack, vendor, { events: ['*'], name: `Chaos: ${vendor}` })));
    const fault = (faults: Record<string, unknown>) => setApiFaults(stack, faults);
    const reported: string[] = [];
    let maxLive = 0;
    for (let cycle = 0; cycle < CHAOS_CYCLES; cycle += 1) {
      for (const deployment of deployments) {
        const vendor = deployment.vendor.id;
        const kind = FAULTS[cycle % FAULTS.length]!;
        if (kind === 'outage') await fault({ vendor, status: 500, times: 6 });
        if (kind === 'rate limit') await fault({ vendor, status: 429, retryAfterSeconds: 1 });
        if (kind === 'slow vendor') await fault({ vendor, delayMs: 11_000 });
        await stack.api.publish(deployment.id);
        if (kind === 'outage') {
          const message = `${deployment.vendor.name} is unavailable (500)`;
          const before = reported.filter((report) => report === message).length;
          await waitFor(`n8n to report "${message}"`, async () => reportsOf(message), (count) => count > before, 30_000);
          reported.push(message);
        }
        const live = await waitFor(`one live ${vendor} subscription`, () => liveAt(stack, vendor as 'converc', deployment.productionUrl), (hooks) => hooks.length === 1, 60_000);
        maxLive = Math.max(maxLive, live.length);
        if (kind === 'deleted out of band') await fetch(`${stack.sim.url}/_control/webhooks/${vendor}/${live[0]!.id}`, { method: 'DELETE' });
        if (kind === 'n8n restarted') {
          await stack.n8n.restart();
          const afterRestart = await liveAt(stack, vendor as 'converc', deployment.productionUrl);
          maxLive = Math.max(maxLive, afterRestart.length);
          expect(afterRestart.length).toBeLessThanOrEqual(1);
        }
        await deployment.unpublish();
      }
    }
    for (const deployment of deployments) expect(await liveAt(stack, deployment.vendor.id as 'converc', deployment.productionUrl)).toEqual([]);
    expect(maxLive).toBe(1);
    figures.chaos = { cyclesPerVendor: CHAOS_CYCLES, faults: FAULTS, strandedAtEnd: 0, maxLiveSubscriptionsPerWorkflow: maxLive, failedActivationsReported: reported.length, exampleReport: reported[0] };
  });
});
