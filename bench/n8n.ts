import { VENDORS } from '../shared';
import { deployTrigger, manualSecretOf } from '../harness/deployment';
import type { N8nStack, Stack } from '../harness/stack';
import { waitFor } from '../harness/wait';
import { load, loadDistinct, type LoadPlan, type LoadResult, type WorkerResult } from './load';
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
  /**
   * n8n's Webhook node refusing a caller outside its IP allowlist (403), which it checks first,
   * before it reads a credential or the body: the cheapest refusal any node can make, so the
   * ceiling for ours.
   */
  readonly builtinRefusingIpAllowlist: LoadResult;
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

/** How many slices each phase's time is cut into, taken in turn with the other phases'. */
const ROUNDS = 3;

/** Enough distinct deliveries that none repeats within `seconds` at any rate one process reaches here. */
export const distinctPoolSize = (seconds: number) => seconds * 500;

/** A published Konver trigger (dedupe on, as users run it, unless told otherwise) and the secret it verifies with. */
export async function benchTrigger(stack: N8nStack, name: string, options: Record<string, unknown> = {}) {
  const trigger = await deployTrigger(stack, 'konver', { events: ['*'], options, name: `Bench: ${name}` });
  await trigger.publish();
  return { trigger, secret: manualSecretOf(VENDORS.konver) };
}

/** What the built-in node refuses: a request without its header-auth value, or a caller outside its IP allowlist. */
type BuiltinGuard = { readonly headerAuthCredentialId: string } | { readonly ipAllowlist: string };

/** n8n's own Webhook node at `path` → the No Operation node, published and answering. */
export async function builtinWebhook(stack: Stack, path: string, guard?: BuiltinGuard) {
  const headerAuth = guard !== undefined && 'headerAuthCredentialId' in guard ? guard.headerAuthCredentialId : undefined;
  const authentication = headerAuth === undefined ? {} : { authentication: 'headerAuth' };
  const credentials = headerAuth === undefined ? {} : { credentials: { httpHeaderAuth: { id: headerAuth, name: 'Bench header auth' } } };
  const options = guard !== undefined && 'ipAllowlist' in guard ? { ipWhitelist: guard.ipAllowlist } : {};
  const builtin = await stack.api.createWorkflow({
    name: `Bench: built-in Webhook at ${path}`,
    nodes: [
      { id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: path, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', ...authentication, options }, ...credentials },
      { id: 'w2', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
    ],
    connections: { Webhook: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  });
  await stack.api.publish(builtin.id);
  const url = `${stack.n8n.url}/webhook/${path}`;
  const answering = guard === undefined ? 200 : 403;
  await waitFor(`the built-in webhook at ${path}`, async () => (await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status, (status) => status === answering);
  return { id: builtin.id, url };
}

/**
 * In one instance: our trigger against n8n's own Webhook node (the same distinct, signed bodies,
 * each followed by the same No Operation node), forged deliveries, n8n's own refusals of a path
 * nobody registered and of our path with a method it does not take, and n8n's Webhook node
 * refusing a request that fails its header auth or comes from outside its IP allowlist.
 */
export async function benchN8n(stack: Stack, { connections, seconds }: BenchLoad): Promise<N8nRow> {
  const { trigger: ours, secret } = await benchTrigger(stack, 'Konver Trigger');
  const { trigger: repeated } = await benchTrigger(stack, 'Konver Trigger, dedupe off', { dedupe: false });
  const builtin = await builtinWebhook(stack, 'bench-builtin');
  // n8n's own node refusing what fails its check: header auth, which it reads from a credential on every request.
  const headerAuth = await stack.api.createCredential('Bench header auth', 'httpHeaderAuth', { name: 'X-Bench-Auth', value: 'bench-header-secret' });
  const guarded = await builtinWebhook(stack, 'bench-builtin-header-auth', { headerAuthCredentialId: headerAuth.id });
  // A documentation address (RFC 5737): never the bench's own.
  const allowlisted = await builtinWebhook(stack, 'bench-builtin-ip-allowlist', { ipAllowlist: '192.0.2.1' });
  const warmup = signedPool(distinctPoolSize(3), secret);
  await load({ url: builtin.url, connections, seconds: 3, requests: warmup });
  await loadDistinct({ url: ours.productionUrl, connections, seconds: 3, requests: warmup });
  await drained(stack, builtin.id);
  await drained(stack, ours.id);

  const slice = seconds / ROUNDS;
  const forgeries = signedPool(2000, 'not-the-secret');
  const events = () => signedPool(distinctPoolSize(slice), secret);
  // Each phase's plan for one round; `drain` names the workflow whose executions must end before the next phase.
  const phases: Record<keyof N8nRow, { plan: () => LoadPlan; distinct?: boolean; drain?: string }> = {
    builtinWebhook: { plan: () => ({ url: builtin.url, connections, seconds: slice, requests: events() }), drain: builtin.id },
    oursAccepted: { plan: () => ({ url: ours.productionUrl, connections, seconds: slice, requests: events() }), distinct: true, drain: ours.id },
    oursRepeatedBodyDedupeOff: { plan: () => ({ url: repeated.productionUrl, connections, seconds: slice, requests: repeatedBody(secret) }), drain: repeated.id },
    oursForged: { plan: () => ({ url: ours.productionUrl, connections, seconds: slice, requests: forgeries }) },
    refusedUnregisteredPath: { plan: () => ({ url: `${stack.n8n.url}/webhook/convhooks-bench-nobody-registered-this`, connections, seconds: slice, requests: forgeries }) },
    refusedWrongMethod: { plan: () => ({ url: ours.productionUrl, connections, seconds: slice, requests: forgeries.map((request) => ({ ...request, method: 'PUT' })) }) },
    builtinRefusingHeaderAuth: { plan: () => ({ url: guarded.url, connections, seconds: slice, requests: forgeries }) },
    builtinRefusingIpAllowlist: { plan: () => ({ url: allowlisted.url, connections, seconds: slice, requests: forgeries }) },
  };
  const names = Object.keys(phases) as (keyof N8nRow)[];
  const rounds = new Map<keyof N8nRow, WorkerResult[]>(names.map((name) => [name, []]));
  // Phases take turns, a slice each: the machine's other load then weighs on every phase alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of names) {
      const phase = phases[name];
      rounds.get(name)!.push(await (phase.distinct ? loadDistinct : load)(phase.plan()));
      if (phase.drain !== undefined) await drained(stack, phase.drain);
    }
  }
  return Object.fromEntries(names.map((name) => [name, combined(rounds.get(name)!)])) as unknown as N8nRow;
}

/** Rounds of equal length as one result: their mean rate, every answer counted, the worst p99. */
function combined(results: readonly WorkerResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const result of results) for (const [code, count] of Object.entries(result.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0) / results.length,
    statuses,
    latencyP99Ms: Math.max(...results.map((result) => result.latencyP99Ms)),
  };
}
