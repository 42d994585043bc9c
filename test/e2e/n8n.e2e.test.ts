/**
 * The n8n side, shown in a real n8n 2.41.1 with the packed package loaded: publish and
 * unpublish drive the lifecycle, the simulator delivers over HTTP, executions are read back
 * through n8n's public API.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliveryHeaders, freshSample, VENDOR_IDS, VENDORS, type VendorDefinition, type VendorId } from '../../shared';
import { deployTrigger, executionsAfterQuiet, executionsOf, liveAt, triggerItem, type Deployment } from '../../harness/deployment';
import { restAsOwner, type Execution } from '../../harness/n8n-api';
import { simulatorApiKey } from '../../simulator';
import { call } from '../support/http';
import { harnessPort } from '../../harness/ports';
import { startStack, type Stack } from '../../harness/stack';
import { waitFor } from '../../harness/wait';
import { fire as fireEvent, post, setDeliveryFaults } from '../../harness/traffic';
import type { Browser } from 'playwright-core';
import { panelTexts, withinLimits } from '../../scripts/panel-texts';
import { CHROMIUM, docsScreenshot, launchChromium, screenshot, signIn } from './editor.browser';

jest.setTimeout(120_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ n8nPort: harnessPort(5710), name: 'e2e', simulator: { strict: true, timeScale: 0.001 } });
}, 600_000);

afterAll(() => stack?.stop(), 60_000);

const fire = (vendor: VendorId, event: string, extra: Record<string, unknown> = {}) => fireEvent(stack, vendor, event, extra);

/** No execution may appear: give n8n time to start one, then count. */
async function expectExecutionCount(deployment: Deployment, count: number) {
  expect(await executionsAfterQuiet(stack, deployment.id)).toHaveLength(count);
}

describe.each(VENDOR_IDS)('%s trigger in n8n', (vendorId) => {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const [firstEvent, secondEvent] = Object.keys(vendor.events) as [string, string];
  const isApi = vendor.registration.kind === 'api';
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await deployTrigger(stack, vendorId, { events: [firstEvent] });
  });

  it('subscribes once on publish, runs once per signed event with the documented shape, and unsubscribes on unpublish', async () => {
    await deployment.publish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toEqual([expect.objectContaining({ events: [firstEvent] })]);

    const fired = await fire(vendorId, firstEvent);
    expect(fired.attempts.map((attempt) => [attempt.status, attempt.responseBody])).toEqual([[200, '{"received":true}']]);
    const [execution] = await executionsOf(stack, deployment.id, 1);
    expect(execution!.status).toBe('success');
    const item = triggerItem(execution, deployment.triggerName)!;
    const { convhooks, ...payload } = item;
    expect(payload).toEqual(JSON.parse(fired.attempts[0]!.requestBody));
    expect(vendor.events[firstEvent]!.schema.safeParse(payload).success).toBe(true);
    expect(convhooks).toMatchObject({ vendor: vendorId, event: firstEvent, verified: true, schemaIssues: [] });

    await deployment.unpublish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toEqual([]);
    const afterUnpublish = await fire(vendorId, firstEvent);
    expect(afterUnpublish.attempts.every((attempt) => attempt.status !== 200)).toBe(true);

    await deployment.publish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toHaveLength(1);
    await fire(vendorId, firstEvent);
    await executionsOf(stack, deployment.id, 2);
    await expectExecutionCount(deployment, 2);
  });

  it('answers hostile and unwanted requests as promised, and starts no execution', async () => {
    const before = (await stack.api.executions(deployment.id)).length;
    const secret = await deployment.secret();
    // Fresh samples: the doc's fixed timestamps fall outside Converc's and Convo's default replay window.
    const sampleBody = (event: string) => Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
    const body = sampleBody(firstEvent);
    const signed = deliveryHeaders(vendor, body, secret, firstEvent);
    const header = vendor.signature.header.toLowerCase();

    const forged = await post(deployment.productionUrl, body, { ...signed, [header]: deliveryHeaders(vendor, body, 'not-the-secret', firstEvent)[header]! });
    expect(forged).toEqual({ status: 401, body: expect.stringContaining('"error":"signature_mismatch"') });

    const { [header]: _signature, ...unsigned } = signed;
    expect(await post(deployment.productionUrl, body, unsigned)).toEqual({ status: 401, body: expect.stringContaining('"error":"missing_signature"') });

    const tampered = Buffer.from(body.toString().replace('{', '{"injected":true,'));
    expect(await post(deployment.productionUrl, tampered, signed)).toMatchObject({ status: 401, body: expect.stringContaining('signature_mismatch') });

    const other = sampleBody(secondEvent);
    const unwanted = await post(deployment.productionUrl, other, deliveryHeaders(vendor, other, secret, secondEvent));
    expect(unwanted).toEqual({ status: 200, body: expect.stringContaining(`does not listen for ${secondEvent}`) });

    // Declared JSON that is not: n8n itself refuses it before any node runs.
    const invalid = Buffer.from('{"not": json');
    const invalidSigned = deliveryHeaders(vendor, invalid, secret, firstEvent);
    expect(await post(deployment.productionUrl, invalid, invalidSigned)).toEqual({ status: 422, body: expect.stringContaining('Failed to parse request body') });
    // Undeclared: the body reaches the node, which verifies it and then refuses it.
    const asText = { ...invalidSigned, 'content-type': 'text/plain' };
    expect(await post(deployment.productionUrl, invalid, asText)).toEqual({ status: 400, body: expect.stringContaining('"error":"invalid_json"') });

    await expectExecutionCount(deployment, before);
  });
});

describe('Konvox retries in n8n', () => {
  it.each([
    [true, 1],
    [false, 3],
  ])('with dedupe %s, a delivery whose answers were lost twice runs %i time(s)', async (dedupe, runs) => {
    const deployment = await deployTrigger(stack, 'konvox', { events: ['contact.replied'], options: { dedupe } });
    await deployment.publish();
    await setDeliveryFaults(stack, 'konvox', { loseAnswers: 2 });
    try {
      const fired = await fire('konvox', 'contact.replied', { webhookId: (await liveAt(stack, 'konvox', deployment.productionUrl))[0]!.id });
      expect(fired.attempts.map((attempt) => attempt.status)).toEqual([null, null, 200]);
      await executionsOf(stack, deployment.id, runs);
      await expectExecutionCount(deployment, runs);
    } finally {
      await setDeliveryFaults(stack, 'konvox', { loseAnswers: 0 });
      await deployment.unpublish();
    }
  });
});

describe('signing secrets at rest', () => {
  /** What `n8n export:workflow` writes for one workflow. */
  async function exported(id: string): Promise<string> {
    const file = join(tmpdir(), `convhooks-export-${id}.json`);
    try {
      await stack.n8n.cli(['export:workflow', `--id=${id}`, `--output=${file}`]);
      return readFileSync(file, 'utf8');
    } finally {
      rmSync(file, { force: true });
    }
  }

  it.each(['converc', 'convo'] as const)('%s: the one-time secret is read back by no API and no export, and deliveries still verify', async (vendorId) => {
    const deployment = await deployTrigger(stack, vendorId, { events: ['*'], name: `Secret at rest: ${vendorId}` });
    await deployment.publish();
    const secret = await deployment.secret();
    // The node's static data is in each of these: what is there is only the sealed form.
    const publicApi = await waitFor('n8n to save the trigger\'s static data', async () => JSON.stringify(await stack.api.call('GET', `/workflows/${deployment.id}`)), (text) => text.includes('sealedSecret'));
    const reads = { publicApi, rest: JSON.stringify(await restAsOwner(stack.n8n.url, `/rest/workflows/${deployment.id}`)), export: await exported(deployment.id) };
    for (const [where, text] of Object.entries(reads)) {
      expect([where, text.includes('sealedSecret')]).toEqual([where, true]);
      expect([where, text.includes(secret)]).toEqual([where, false]);
    }

    const [event] = Object.keys(deployment.vendor.events) as [string];
    const [subscription] = await liveAt(stack, vendorId, deployment.productionUrl);
    expect((await fire(vendorId, event, { webhookId: subscription!.id })).attempts.map((attempt) => attempt.status)).toEqual([200]);
    const body = Buffer.from(JSON.stringify(deployment.vendor.events[event]!.sample));
    expect(await post(deployment.productionUrl, body, deliveryHeaders(deployment.vendor, body, 'not-the-secret', event))).toMatchObject({ status: 401 });
    const executions = await executionsOf(stack, deployment.id, 1);
    expect(JSON.stringify(executions)).not.toContain(secret);
    expect(readFileSync(stack.n8n.logFile, 'utf8')).not.toContain(secret);
    await deployment.unpublish();
  });
});

describe('n8n restart with published workflows', () => {
  it('keeps exactly one subscription per API trigger, and events still flow', async () => {
    const deployments = await Promise.all((['converc', 'convo'] as const).map((vendor) => deployTrigger(stack, vendor, { events: ['*'] })));
    for (const deployment of deployments) await deployment.publish();
    await stack.n8n.restart();
    for (const deployment of deployments) {
      const vendorId = deployment.vendor.id as VendorId;
      expect(await liveAt(stack, vendorId, deployment.productionUrl)).toHaveLength(1);
      const [event] = Object.keys(deployment.vendor.events) as [string];
      const fired = await fire(vendorId, event);
      expect(fired.attempts.map((attempt) => attempt.status)).toContain(200);
      await executionsOf(stack, deployment.id, 1);
    }
  });
});

describe('Converc catch-up', () => {
  /** Every item the trigger emitted in each execution, oldest execution first. */
  const itemsPerExecution = (executions: Execution[], triggerName: string) =>
    [...executions]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((execution) => (execution.data?.resultData?.runData?.[triggerName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json));
  const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;
  /** Fires one event; what Converc did at `url` (other suites' triggers may be subscribed too). */
  const firedAt = async (url: string, event: string) => {
    const attempts = (await fire('converc', event)).attempts.filter((attempt) => attempt.url === url);
    return { attempts, id: attempts[0] && idOf(attempts[0].requestBody), status: attempts[0]?.status };
  };

  /** A published Converc trigger for `event` that has run one delivery. */
  async function publishedAndRun(event: string) {
    const deployment = await deployTrigger(stack, 'converc', { events: [event] });
    const fired = (which: string) => firedAt(deployment.productionUrl, which);
    await deployment.publish();
    const first = await fired(event);
    expect(first.status).toBe(200);
    await executionsOf(stack, deployment.id, 1);
    return { deployment, fired, first };
  }

  it('recovers what Converc sent while n8n was stopped, once, in order and marked, and nothing from while the workflow was unpublished', async () => {
    const event = 'call.transcript_ready';
    const { deployment, fired, first } = await publishedAndRun(event);

    await deployment.unpublish();
    // No live subscription: Converc delivers nothing, but keeps the event behind its API.
    expect((await fired(event)).attempts).toEqual([]);
    const unpublishedIds = (await call('GET', `${stack.sim.baseUrl('converc')}/webhooks/events?eventType=${event}&display=1`, undefined, { authorization: `Bearer ${simulatorApiKey('converc')}` })).body as { id: string }[];
    await deployment.publish();
    const afterPublish = await fired(event);
    expect(afterPublish.status).toBe(200);
    await executionsOf(stack, deployment.id, 2);
    // Taken before the restart: their keys must survive it, or catch-up would run them again.
    const taken = [(await fired(event)).id, (await fired(event)).id];
    await executionsOf(stack, deployment.id, 4);

    const whileStopped: string[] = [];
    await stack.n8n.restart(async () => {
      for (let sent = 0; sent < 3; sent += 1) {
        const { attempts, id } = await fired(event);
        expect(attempts.map((attempt) => attempt.status)).toEqual([null]);
        whileStopped.push(id!);
      }
    });
    const afterRestart = await fired(event);
    expect(afterRestart.status).toBe(200);
    await executionsOf(stack, deployment.id, 5);
    const later = await fired(event);
    await executionsOf(stack, deployment.id, 6);

    const items = itemsPerExecution(await executionsAfterQuiet(stack, deployment.id), deployment.triggerName);
    expect(items.map((execution) => execution.map((item) => item.id))).toEqual([[first.id], [afterPublish.id], [taken[0]], [taken[1]], [...whileStopped, afterRestart.id], [later.id]]);
    expect(items.flat().map((item) => item.id)).not.toContain(unpublishedIds[0]!.id);
    const [recovered, delivered] = [items[4]!.slice(0, 3), items[4]![3]!];
    for (const item of recovered) expect(item.convhooks).toMatchObject({ vendor: 'converc', event, verified: false, recoveredFrom: 'api' });
    expect(delivered.convhooks).toMatchObject({ verified: true });
    expect((delivered.convhooks as Record<string, unknown>).recoveredFrom).toBeUndefined();
    await deployment.unpublish();
  });

  it('refuses deliveries (503) while n8n stops, saving nothing, and recovers each of them once after the restart', async () => {
    const event = 'call.ended';
    const { deployment, fired, first: before } = await publishedAndRun(event);

    // An execution still running keeps n8n's graceful stop open, and its HTTP server taking requests, for 15 s.
    const holdPath = `hold-${randomUUID()}`;
    const holding = await stack.api.createWorkflow({
      name: 'holds n8n shutdown open',
      settings: { executionOrder: 'v1' },
      nodes: [
        { id: 'hold-webhook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: holdPath, responseMode: 'onReceived' } },
        { id: 'hold-wait', name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [200, 0], parameters: { resume: 'timeInterval', amount: 15, unit: 'seconds' } },
      ],
      connections: { Webhook: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
    });
    await stack.api.publish(holding.id);
    // n8n answers once it has recorded the execution, which then waits its 15 s in n8n's process.
    await waitFor('the holding webhook to answer', async () => (await post(`${stack.webhookBase}/webhook/${holdPath}`, '{}', { 'content-type': 'application/json' })).status, (status) => status === 200);

    const restarting = stack.n8n.restart();
    const whileStopping: { id: string; status: number | null }[] = [];
    try {
      // A delivery taken in the few ms before n8n takes the activation down still runs; the ones after are refused.
      while (!whileStopping.some((attempt) => attempt.status === 503)) {
        if (whileStopping.length === 5) throw new Error(`No delivery was refused while n8n stopped: ${JSON.stringify(whileStopping)}`);
        const { id, status } = await fired(event);
        whileStopping.push({ id: id!, status: status ?? null });
      }
    } finally {
      // Whatever the deliveries met, the restart ends before the suite goes on (or stops the n8n it started).
      await restarting;
    }
    const refused = whileStopping.filter((attempt) => attempt.status === 503);
    expect(whileStopping.every((attempt) => attempt.status === 200 || attempt.status === 503)).toBe(true);

    const after = await fired(event);
    expect(after.status).toBe(200);
    // One execution each: the delivery before, those taken while n8n stopped, and the one after with what it recovered.
    await executionsOf(stack, deployment.id, 2 + whileStopping.length - refused.length);
    const executions = await executionsAfterQuiet(stack, deployment.id);
    const items = itemsPerExecution(executions, deployment.triggerName).flat();
    const ids = items.map((item) => item.id);
    for (const id of [before.id, ...whileStopping.map((attempt) => attempt.id), after.id]) expect(ids.filter((each) => each === id)).toHaveLength(1);
    for (const { id } of refused) expect(items.find((item) => item.id === id)!.convhooks).toMatchObject({ recoveredFrom: 'api', verified: false });
    await stack.api.unpublish(holding.id);
    await deployment.unpublish();
  }, 300_000);
});

describe('the editor, in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "npm run browser:install" (Debian's chromium package).`);
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(VENDOR_IDS)('shows the %s trigger with its icon, events, setup notice and webhook URL', async (vendorId) => {
    const vendor = VENDORS[vendorId] as VendorDefinition;
    const events = Object.keys(vendor.events).slice(0, 2);
    const deployment = await deployTrigger(stack, vendorId, { events, name: `Browser check: ${vendor.name}` });
    await deployment.publish();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await signIn(page, stack.n8n.url);
      await page.goto(`${stack.n8n.url}/workflow/${deployment.id}`);
      const node = page.locator(`[data-test-id=canvas-node][data-node-name="${deployment.triggerName}"]`);
      await node.waitFor();
      expect(await node.locator('img').first().getAttribute('src')).toMatch(new RegExp(`/${vendorId}(\\.dark)?\\.svg$`));
      await screenshot(page, `${vendorId}-workflow`);

      await node.dblclick();
      const panel = page.locator('[data-test-id=ndv]');
      await panel.getByText('Webhook URLs').click();
      await panel.locator('[data-test-id=radio-button-production]').click();
      await panel.getByText(deployment.productionUrl).waitFor();
      for (const event of events) await panel.getByText(`${vendor.events[event]!.title} (${event})`).waitFor();
      const notice = panel.getByText('Add the Production URL above as a webhook in');
      if (vendor.registration.kind === 'manual') {
        await notice.waitFor();
        expect(await notice.innerText()).toContain(vendor.registration.settingsPath);
      } else {
        expect(await notice.count()).toBe(0);
      }
      expect(await panel.locator(`img[src$="/${vendorId}.svg"], img[src$="/${vendorId}.dark.svg"]`).count()).toBeGreaterThan(0);
      expect(await panel.getByRole('link', { name: 'Docs' }).getAttribute('href')).toContain('github.com/convhooks/convhooks/blob/main/docs/n8n.md');
      // The notices as the editor shows them, each within what n8n's own triggers say in one.
      for (const { text } of panelTexts(vendor).filter((each) => each.kind === 'notice' && each.where.startsWith('node'))) {
        const shown = await panel.getByText(text).innerText();
        expect({ shown, withinLimits: withinLimits('notice', shown) }).toEqual({ shown: text, withinLimits: true });
      }
      await screenshot(page, `${vendorId}-trigger-panel`);
      expect(statSync(await docsScreenshot(panel, `${vendorId}-trigger`)).size).toBeLessThan(150_000);
    } finally {
      await page.close();
      await deployment.unpublish();
    }
  });
});
