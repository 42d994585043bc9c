import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deliveryHeaders, VENDORS } from '../shared';
import { deployTrigger, manualSecretOf } from '../harness/deployment';
import { ROOT } from '../harness/paths';
import type { N8nStack, Stack } from '../harness/stack';
import { waitFor } from '../harness/wait';
import { PAYLOADS } from './payloads';

const run = promisify(execFile);
const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly statuses: Record<string, number>;
  readonly latencyP99Ms: number;
}

export interface N8nRow {
  readonly concurrency: number;
  readonly seconds: number;
  readonly builtinWebhook: LoadResult;
  readonly oursAccepted: LoadResult;
  readonly oursForged: LoadResult;
  readonly ratios: { acceptedOverBuiltin: number; rejectedOverAccepted: number };
}

/** Load from a separate process (autocannon), so the generator does not share n8n's event loop. */
export async function load(url: string, headers: Record<string, string>, body: Buffer, concurrency: number, seconds: number): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(concurrency), '-d', String(seconds), '-m', 'POST', '-b', body.toString('utf8')];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await run(process.execPath, [...args, url], { maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; latency: { p99: number }; statusCodeStats?: Record<string, { count: number }>; '2xx': number; non2xx: number };
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]));
  return { requestsPerSecond: result.requests.average, statuses, latencyP99Ms: result.latency.p99 };
}

export async function drained(stack: N8nStack, workflowId: string): Promise<void> {
  // Executions run after the answer (onReceived), and in queue mode wait as "new" for a worker:
  // let the backlog finish before the next phase.
  const pending = async () => {
    const counts = await Promise.all(['new', 'running'].map(async (status) => (await stack.api.call<{ data: unknown[] }>('GET', `/executions?workflowId=${workflowId}&limit=1&status=${status}`)).data.length));
    return counts[0]! + counts[1]!;
  };
  let last = -1;
  await waitFor('executions to settle', async () => {
    const now = await pending();
    const settled = now === 0 && last === 0;
    last = now;
    return settled;
  }, (settled) => settled, 600_000);
}

/** A published Konver trigger, and the body and signed headers every benchmark sends it. */
export async function benchTrigger(stack: N8nStack, name: string) {
  const { body } = PAYLOADS[0]!;
  const vendor = VENDORS.konver;
  // Repeats of one body are the point of a load test, so dedupe is off here.
  const trigger = await deployTrigger(stack, 'konver', { events: ['*'], options: { dedupe: false }, name: `Bench: ${name}` });
  await trigger.publish();
  return { trigger, body, signed: deliveryHeaders(vendor, body, manualSecretOf(vendor), undefined) };
}

/** Our trigger against n8n's own Webhook node, same instance, payload and concurrency; then forged traffic. */
export async function benchN8n(stack: Stack, options: { concurrency: number; seconds: number }): Promise<N8nRow> {
  const { trigger: ours, body, signed } = await benchTrigger(stack, 'Konver Trigger');
  const builtin = await stack.api.createWorkflow({
    name: 'Bench: built-in Webhook',
    nodes: [
      { id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'bench-builtin', parameters: { httpMethod: 'POST', path: 'bench-builtin', responseMode: 'onReceived', options: {} } },
      { id: 'w2', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
    ],
    connections: { Webhook: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  });
  await stack.api.publish(builtin.id);
  const builtinUrl = `${stack.n8n.url}/webhook/bench-builtin`;
  await waitFor('the built-in webhook', async () => (await fetch(builtinUrl, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, (status) => status === 200);

  const forged = deliveryHeaders(VENDORS.konver, body, 'not-the-secret', undefined);
  const { concurrency, seconds } = options;
  await load(builtinUrl, signed, body, concurrency, 3);
  await load(ours.productionUrl, signed, body, concurrency, 3);
  await drained(stack, builtin.id);
  await drained(stack, ours.id);
  const builtinWebhook = await load(builtinUrl, signed, body, concurrency, seconds);
  await drained(stack, builtin.id);
  const oursAccepted = await load(ours.productionUrl, signed, body, concurrency, seconds);
  await drained(stack, ours.id);
  const oursForged = await load(ours.productionUrl, forged, body, concurrency, seconds);
  return {
    concurrency,
    seconds,
    builtinWebhook,
    oursAccepted,
    oursForged,
    ratios: {
      acceptedOverBuiltin: oursAccepted.requestsPerSecond / builtinWebhook.requestsPerSecond,
      rejectedOverAccepted: oursForged.requestsPerSecond / oursAccepted.requestsPerSecond,
    },
  };
}
