// Start-up at scale: many published Converc and Convo triggers and as many workflows on n8n's
// built-in Webhook node, in one n8n; n8n restarts, and the bench times until each group answers
// and counts the calls its activations made to each vendor's API.
import { randomUUID } from 'node:crypto';
import { deliveryHeaders, freshSample, VENDORS, type VendorDefinition } from '../shared';
import { createVendorCredential, deploymentOf } from '../harness/deployment';
import type { Stack } from '../harness/stack';
import { createTriggerWorkflow } from '../harness/workflows';
import { builtinWebhook } from './n8n';

/** One published workflow, and the request that shows it is live again. */
interface Probe {
  readonly url: string;
  readonly request: () => { readonly body: Buffer; readonly headers: Record<string, string> };
}

export interface StartupGroup {
  /** From n8n's launch until the last workflow of the group answered, in seconds. */
  readonly secondsUntilAllAnswer: number;
  /** Calls to the vendor's API from n8n's launch until every workflow answered. */
  readonly vendorApiCalls: number | null;
}

export type StartupRow = Record<'converc' | 'convo' | 'builtin', StartupGroup> & { readonly triggers: number };

const ANSWERED = 200;
/** Probes in flight at once: enough to notice each workflow soon, few enough not to slow n8n's start. */
const PROBES_AT_ONCE = 16;
const PROBE_ROUND_MS = 100;
const GIVE_UP_MS = 15 * 60_000;

/** `count` published triggers of an API vendor sharing one credential, as one user's account would. Dedupe is off, so no probe starts a catch-up poll. */
async function publishedTriggers(stack: Stack, vendor: VendorDefinition, count: number): Promise<Probe[]> {
  const credentialId = await createVendorCredential(stack, vendor);
  const event = Object.keys(vendor.events)[0]!;
  const probes: Probe[] = [];
  for (let index = 0; index < count; index += 1) {
    const workflow = await createTriggerWorkflow(stack, vendor, credentialId, { name: `Start-up: ${vendor.name} ${index}`, events: [event], options: { dedupe: false } });
    const deployment = await deploymentOf(stack, vendor, workflow, [event]);
    await deployment.publish();
    const secret = await deployment.secret();
    probes.push({
      url: workflow.productionUrl,
      request: () => {
        const body = Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
        return { body, headers: { 'content-type': 'application/json', ...deliveryHeaders(vendor, body, secret, event) } };
      },
    });
  }
  return probes;
}

async function builtinWebhooks(stack: Stack, count: number): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (let index = 0; index < count; index += 1) {
    const { url } = await builtinWebhook(stack, `startup-builtin-${index}`);
    probes.push({ url, request: () => ({ body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } }) });
  }
  return probes;
}

async function answers(probe: Probe): Promise<boolean> {
  const { body, headers } = probe.request();
  try {
    const response = await fetch(probe.url, { method: 'POST', body, headers });
    await response.arrayBuffer();
    return response.status === ANSWERED;
  } catch {
    return false; // n8n not listening yet.
  }
}

/** When each probe first answered, in ms since `from`; probes take turns, a bounded number at once. */
async function firstAnswers(probes: readonly Probe[], from: number): Promise<number[]> {
  const answeredAt = new Array<number>(probes.length).fill(Number.NaN);
  while (answeredAt.some(Number.isNaN)) {
    if (Date.now() - from > GIVE_UP_MS) throw new Error(`${answeredAt.filter(Number.isNaN).length} workflows still did not answer ${GIVE_UP_MS / 60_000} minutes after n8n's start.`);
    const pending = answeredAt.flatMap((at, index) => (Number.isNaN(at) ? [index] : []));
    for (let start = 0; start < pending.length; start += PROBES_AT_ONCE) {
      const batch = pending.slice(start, start + PROBES_AT_ONCE);
      const results = await Promise.all(batch.map((index) => answers(probes[index]!)));
      results.forEach((ok, position) => {
        if (ok) answeredAt[batch[position]!] = Date.now() - from;
      });
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_ROUND_MS));
  }
  return answeredAt;
}

async function apiCalls(stack: Stack): Promise<Record<string, number>> {
  return (await (await fetch(`${stack.sim.url}/_control/api-calls`)).json()) as Record<string, number>;
}

/** Publishes `count` workflows of each kind, restarts n8n, and measures each kind's start-up. */
export async function benchStartup(stack: Stack, count: number): Promise<StartupRow> {
  const groups = {
    converc: await publishedTriggers(stack, VENDORS.converc as VendorDefinition, count),
    convo: await publishedTriggers(stack, VENDORS.convo as VendorDefinition, count),
    builtin: await builtinWebhooks(stack, count),
  };
  let launchedAt = 0;
  let before: Record<string, number> = {};
  await stack.n8n.restart(async () => {
    before = await apiCalls(stack);
    launchedAt = Date.now();
  });
  const all = [...groups.converc, ...groups.convo, ...groups.builtin];
  const answeredAt = await firstAnswers(all, launchedAt);
  const after = await apiCalls(stack);
  const calls = (vendor: string) => (after[vendor] ?? 0) - (before[vendor] ?? 0);
  const slice = (offset: number) => Math.max(...answeredAt.slice(offset, offset + count)) / 1000;
  return {
    triggers: count,
    converc: { secondsUntilAllAnswer: slice(0), vendorApiCalls: calls('converc') },
    convo: { secondsUntilAllAnswer: slice(count), vendorApiCalls: calls('convo') },
    builtin: { secondsUntilAllAnswer: slice(2 * count), vendorApiCalls: null },
  };
}
