/**
 * A trigger listening for a test event and the published one receive the same deliveries
 * (each has its own subscription). n8n runs the first in mode `manual` and the second in mode
 * `webhook`, and keeps static data only from the second: a test run's changes are discarded.
 */
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { deliveryHeaders, VENDORS } from '../../../shared';
import { webhookContext } from '../../support/n8n-context';
import { PACKAGE } from '../../support/packages';

const SECRET = 'whsec_modes';
const vendor = VENDORS.konvox;
const body = Buffer.from(JSON.stringify(vendor.events['enrollment.created'].sample));

/** Static data as n8n keeps it between executions of the published workflow. */
let stored: IDataObject;
beforeEach(() => {
  stored = {};
});

function deliver(mode: 'manual' | 'webhook', nodeId: string): Promise<IWebhookResponseData> {
  const ctx = webhookContext({
    nodeType: 'konvox',
    nodeId,
    mode,
    parameters: { events: ['*'], options: {} },
    credentials: { konvoxWebhookApi: { secret: SECRET } },
    // A test run starts from the stored static data and its changes are never saved.
    staticData: mode === 'manual' ? structuredClone(stored) : stored,
    body,
    headers: deliveryHeaders(vendor, body, SECRET, 'enrollment.created'),
  });
  return PACKAGE.konvox.node.webhook!.call(ctx.context);
}

const started = (result: IWebhookResponseData) => result.workflowData !== undefined;

describe('dedupe per n8n mode', () => {
  it('a test delivery does not mark the production one as seen', async () => {
    expect(started(await deliver('manual', 'modes-1'))).toBe(true);
    expect(started(await deliver('webhook', 'modes-1'))).toBe(true);
  });

  it('a production delivery does not mark the test one as seen, though the test run starts from its saved static data', async () => {
    expect(started(await deliver('webhook', 'modes-3'))).toBe(true);
    expect(started(await deliver('manual', 'modes-3'))).toBe(true);
  });

  it('each mode still drops its own repeats', async () => {
    await deliver('manual', 'modes-2');
    await deliver('webhook', 'modes-2');
    await expect(deliver('manual', 'modes-2')).resolves.toEqual({ webhookResponse: { received: true, duplicate: true } });
    await expect(deliver('webhook', 'modes-2')).resolves.toEqual({ webhookResponse: { received: true, duplicate: true } });
  });
});
