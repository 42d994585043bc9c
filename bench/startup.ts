// Start-up at scale: many published Converc and Convo triggers and as many workflows on n8n's
// built-in Webhook node, in one n8n; n8n restarts, and the bench times until each group answers
// and counts the calls its activations made to each vendor's API.
import { randomUUID } from 'node:crypto';
import { deliveryHeaders, freshSample, VENDORS, type VendorDefinition } from '../shared';
import { createVendorCredential, deploymentOf } from '../harness/deployment';
import type { Stack } from '../harness/stack';
import { createTriggerWorkflow } from '../harness/workflows';
import { builtinWebhook } from './n8n';

type Kind = 'converc' | 'convo' | 'builtin';
const KINDS: readonly Kind[] = ['converc', 'convo', 'builtin'];

/** One published workflow, and the request that shows it is live again. */
interface Probe {
  readonly kind: Kind;
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

/** Publishes a vendor's trigger at each call, all sharing one credential as one user's account would. Dedupe is off, so no probe starts a catch-up poll. */
async function triggerPublisher(stack: Stack, kind: 'converc' | 'convo'): Promise<(index: number) => Promise<Probe>> {
  const vendor = VENDORS[kind] as VendorDefinition;
  const credentialId = await createVendorCredential(stack, vendor);
  const event = Object.keys(vendor.events)[0]!;
  return async (index) => {
    const workflow = await createTriggerWorkflow(stack, vendor, credentialId, { name: `Start-up: ${vendor.name} ${index}`, events: [event], options: { dedupe: false } });
    const deployment = await deploymentOf(stack, vendor, workflow, [event]);
    await deployment.publish();
    const secret = await deployment.secret();
    return {
      kind,
      url: workflow.productionUrl,
      request: () => {
        const body = Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
        return { body, headers: { 'content-type': 'application/json', ...deliveryHeaders(vendor, body, secret, event) } };
      },
    };
  };
}

async function builtinProbe(stack: Stack, index: number): Promise<Probe> {
  const { url } = await builtinWebhook(stack, `startup-builtin-${index}`);
  return { kind: 'builtin', url, request: () => ({ body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } }) };
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
  const publish: Record<Kind, (index: number) => Promise<Probe>> = {
    converc: await triggerPublisher(stack, 'converc'),
    convo: await triggerPublisher(stack, 'convo'),
    builtin: (index) => builtinProbe(stack, index),
  };
  // Interleaved, and probed in that order: n8n activates one workflow at a time in an order of its own, so no kind comes first by construction.
  const probes: Probe[] = [];
  for (let index = 0; index < count; index += 1) for (const kind of KINDS) probes.push(await publish[kind](index));
  let launchedAt = 0;
  let before: Record<string, number> = {};
  await stack.n8n.restart(async () => {
    before = await apiCalls(stack);
    launchedAt = Date.now();
  });
  const answeredAt = await firstAnswers(probes, launchedAt);
  const after = await apiCalls(stack);
  const group = (kind: Kind): StartupGroup => ({
    secondsUntilAllAnswer: Math.max(...answeredAt.filter((_, index) => probes[index]!.kind === kind)) / 1000,
    vendorApiCalls: kind === 'builtin' ? null : (after[kind] ?? 0) - (before[kind] ?? 0),
  });
  return { triggers: count, converc: group('converc'), convo: group('convo'), builtin: group('builtin') };
}
