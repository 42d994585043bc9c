/**
 * The n8n versions our users run: the pinned 2.41.1 and the newest 1.x, each a fresh n8n with
 * the packed packages installed as community packages. Per vendor: publish, one signed delivery
 * (one execution with the vendor's item), one forged (401, no execution), unpublish (the
 * subscription is gone and the URL answers 404).
 */
import { randomUUID } from 'node:crypto';
import { deployTrigger, executionsAfterQuiet, executionsOf, liveAt, triggerItem } from '../../harness/deployment';
import { DEFAULT_RUNTIME, RUNTIME_1X } from '../../harness/paths';
import { harnessPort } from '../../harness/ports';
import { startStack, type Stack } from '../../harness/stack';
import { fire, post } from '../../harness/traffic';
import { deliveryHeaders, freshSample, VENDOR_IDS, VENDORS, type VendorDefinition } from '../../shared';

jest.setTimeout(120_000);

describe.each([
  { runtime: DEFAULT_RUNTIME, port: 5713 },
  { runtime: RUNTIME_1X, port: 5714 },
])('n8n $runtime.version', ({ runtime, port }) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ n8nPort: harnessPort(port), name: `versions-${runtime.version}`, runtime, simulator: { timeScale: 0.001 } });
  }, 900_000);

  afterAll(() => stack?.stop(), 60_000);

  it('is the version it claims to be', () => {
    expect(stack.api.version).toBe(runtime.version);
  });

  it.each(VENDOR_IDS)('%s: publish, a signed and a forged delivery, unpublish', async (vendorId) => {
    const vendor = VENDORS[vendorId] as VendorDefinition;
    const isApi = vendor.registration.kind === 'api';
    const [event] = Object.keys(vendor.events) as [string];
    const deployment = await deployTrigger(stack, vendorId, { events: [event] });
    await deployment.publish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toHaveLength(1);

    const fired = await fire(stack, vendorId, event);
    expect(fired.attempts.map((attempt) => [attempt.status, attempt.responseBody])).toEqual([[200, '{"received":true}']]);
    const [execution] = await executionsOf(stack, deployment.id, 1);
    expect(execution!.status).toBe('success');
    const { convhooks, ...payload } = triggerItem(execution, deployment.triggerName)!;
    expect(payload).toEqual(JSON.parse(fired.attempts[0]!.requestBody));
    expect(convhooks).toMatchObject({ vendor: vendorId, event, verified: true, schemaIssues: [] });

    const body = Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
    const forged = deliveryHeaders(vendor, body, 'not-the-secret', event);
    expect(await post(deployment.productionUrl, body, forged)).toEqual({ status: 401, body: expect.stringContaining('"error":"signature_mismatch"') });
    expect(await executionsAfterQuiet(stack, deployment.id)).toHaveLength(1);

    await deployment.unpublish();
    if (isApi) expect(await liveAt(stack, vendorId, deployment.productionUrl)).toEqual([]);
    expect((await post(deployment.productionUrl, body, forged)).status).toBe(404);
  });
});
