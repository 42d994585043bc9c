import { VENDORS } from '../shared';
import { deployTrigger, manualSecretOf } from '../harness/deployment';
import type { N8nStack, Stack } from '../harness/stack';
import { waitFor } from '../harness/wait';
import { load, loadDistinct, type LoadResult, type PlannedRequest } from './load';
import { repeatedBody, signedPool } from './signed-pool';

export interface BenchLoad {
  readonly connections: number;
  readonly seconds: number;
}

/** One n8n instance under one setting: what it accepts, what it refuses and how fast. */
export interface N8nRow {
  readonly builtinWebhook: LoadResult;
  /** Distinct, correctly signed events with dedupe on: what users run. */
  readonly oursAccepted: LoadResult;
  /** One body sent again and again with dedupe off: the figure this bench reported before. */
  readonly oursRepeatedBodyDedupeOff: LoadResult;
  readonly oursForged: LoadResult;
  /** n8n's own refusals, before any node runs: the floor a forged delivery is measured against. */
  readonly refusedUnregisteredPath: LoadResult;
  readonly refusedWrongMethod: LoadResult;
  /** n8n's Webhook node refusing a request without its header-auth value (403): a refusal by a node, as ours is. */
  readonly builtinRefusingHeaderAuth: LoadResult;
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

/** Enough distinct deliveries that none repeats within `seconds` at any rate one process reaches here. */
export const distinctPoolSize = (seconds: number) => seconds * 500;

/** A published Konver trigger (dedupe on, as users run it, unless told otherwise) and the secret it verifies with. */
export async function benchTrigger(stack: N8nStack, name: string, options: Record<string, unknown> = {}) {
  const trigger = await deployTrigger(stack, 'konver', { events: ['*'], options, name: `Bench: ${name}` });
  await trigger.publish();
  return { trigger, secret: manualSecretOf(VENDORS.konver) };
}

/** n8n's own Webhook node at `path` → the No Operation node, published and answering. */
async function builtinWebhook(stack: Stack, path: string, auth?: { credentialId: string }) {
  const authentication = auth === undefined ? {} : { authentication: 'headerAuth' };
  const credentials = auth === undefined ? {} : { credentials: { httpHeaderAuth: { id: auth.credentialId, name: 'Bench header auth' } } };
  const builtin = await stack.api.createWorkflow({
    name: `Bench: built-in Webhook at ${path}`,
    nodes: [
      { id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: path, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', ...authentication, options: {} }, ...credentials },
      { id: 'w2', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
    ],
    connections: { Webhook: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  });
  await stack.api.publish(builtin.id);
  const url = `${stack.n8n.url}/webhook/${path}`;
  const answering = auth === undefined ? 200 : 403;
  await waitFor(`the built-in webhook at ${path}`, async () => (await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, (status) => status === answering);
  return { id: builtin.id, url };
}

/**
 * In one instance: our trigger against n8n's own Webhook node (the same distinct, signed bodies,
 * each followed by the same No Operation node), forged deliveries, n8n's own refusals of a path
 * nobody registered and of our path with a method it does not take, and n8n's Webhook node
 * refusing a request that fails its header auth.
 */
export async function benchN8n(stack: Stack, { connections, seconds }: BenchLoad): Promise<N8nRow> {
  const { trigger: ours, secret } = await benchTrigger(stack, 'Konver Trigger');
  const { trigger: repeated } = await benchTrigger(stack, 'Konver Trigger, dedupe off', { dedupe: false });
  const builtin = await builtinWebhook(stack, 'bench-builtin');
  // n8n's own node refusing what fails its check: header auth, which it reads from a credential on every request.
  const headerAuth = await stack.api.createCredential('Bench header auth', 'httpHeaderAuth', { name: 'X-Bench-Auth', value: 'bench-header-secret' });
  const guarded = await builtinWebhook(stack, 'bench-builtin-header-auth', { credentialId: headerAuth.id });
  const measured = (url: string, requests: readonly PlannedRequest[]) => ({ url, connections, seconds, requests });
  const warmup = signedPool(distinctPoolSize(3), secret);
  const events = signedPool(distinctPoolSize(seconds), secret);
  const forgeries = signedPool(2000, 'not-the-secret');

  await load({ url: builtin.url, connections, seconds: 3, requests: warmup });
  await loadDistinct({ url: ours.productionUrl, connections, seconds: 3, requests: warmup });
  await drained(stack, builtin.id);
  await drained(stack, ours.id);
  const builtinResult = await load(measured(builtin.url, events));
  await drained(stack, builtin.id);
  const oursAccepted = await loadDistinct(measured(ours.productionUrl, events));
  await drained(stack, ours.id);
  const oursRepeatedBodyDedupeOff = await load(measured(repeated.productionUrl, repeatedBody(secret)));
  await drained(stack, repeated.id);
  const oursForged = await load(measured(ours.productionUrl, forgeries));
  const refusedUnregisteredPath = await load(measured(`${stack.n8n.url}/webhook/convhooks-bench-nobody-registered-this`, forgeries));
  const refusedWrongMethod = await load(measured(ours.productionUrl, forgeries.map((request) => ({ ...request, method: 'PUT' }))));
  const builtinRefusingHeaderAuth = await load(measured(guarded.url, forgeries));
  return { builtinWebhook: builtinResult, oursAccepted, oursRepeatedBodyDedupeOff, oursForged, refusedUnregisteredPath, refusedWrongMethod, builtinRefusingHeaderAuth };
}
