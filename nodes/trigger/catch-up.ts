import type { IDataObject, IHookFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { parseEvent } from '../../shared/parse-event';
import type { RecentEventsPoll } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { isRepeatedDelivery } from './dedupe';
import { isSelected, selectedEvents } from './event-selection';
import { livePeriod, recordActivation, type LivePeriod } from './static-data';
import { callVendor, readAnswer } from './vendor-client';

/**
 * Catch-up: events the vendor sent while nobody listened (n8n stopped or restarting, the
 * trigger being republished, a new subscription's deliveries before its secret was saved) are
 * still behind the vendor's recent-events API. n8n lets a webhook node emit only in answer to a
 * delivery, so the trigger catches up on the first delivery after each activation, and on the
 * first in each n8n process: it answers that delivery at once, polls, and starts one execution
 * with the recovered events and the delivery's own item, oldest first.
 */

const recentEventsPoll = (vendor: VendorDefinition): RecentEventsPoll | undefined =>
  vendor.registration.kind === 'api' ? vendor.registration.api.recentEvents : undefined;

/** Called by an activation: `activate` is a fresh publish (after an unpublish, or the first one). */
export function noteActivation(context: IHookFunctions, vendor: VendorDefinition, now = new Date()): void {
  const activation = context.getActivationMode();
  if (recentEventsPoll(vendor) === undefined || activation === 'manual') return;
  recordActivation(context.getWorkflowStaticData('node'), activation === 'activate', now);
}

interface CaughtUp {
  /** The activation this process caught up after. */
  readonly activatedAt: number;
  /** Set when a poll failed: the next delivery after it tries again. */
  readonly retryAt?: number;
}

/** Per trigger, in this process: an empty map is what "n8n (re)started" looks like from inside. */
const caughtUp = new Map<string, CaughtUp>();
const MAX_TRIGGERS = 10_000;
/** The delivery's own item waits for the poll (its answer does not): a vendor that hangs must not hold it long. */
const POLL_TIMEOUT_MS = 3_000;
const RETRY_AFTER_MS = 60_000;
/** When n8n loaded the node: a process that started later than the last activation lost what came before it started. */
const PROCESS_STARTED = Date.now();
/**
 * What nobody listened for was sent before the activation (or the process start) ended; this
 * covers n8n saving the activation and the vendor's clock running ahead. A later event was
 * delivered to a listening n8n, perhaps to another process at this very moment: recovering it
 * here too would run it twice.
 */
const ACTIVATION_MARGIN_MS = 5_000;

function claim(context: IWebhookFunctions, live: LivePeriod, now: number): boolean {
  const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
  const done = caughtUp.get(scope);
  if (done !== undefined && done.activatedAt === live.activatedAt && (done.retryAt === undefined || now < done.retryAt)) return false;
  // Claimed before polling, so deliveries arriving meanwhile do not poll again.
  caughtUp.delete(scope);
  if (caughtUp.size >= MAX_TRIGGERS) caughtUp.delete(caughtUp.keys().next().value ?? '');
  caughtUp.set(scope, { activatedAt: live.activatedAt });
  return true;
}

function failed(context: IWebhookFunctions, live: LivePeriod, now: number): void {
  caughtUp.set(`${context.getWorkflow().id ?? ''}:${context.getNode().id}`, { activatedAt: live.activatedAt, retryAt: now + RETRY_AFTER_MS });
}

const timeOf = (vendor: VendorDefinition, json: IDataObject): number => {
  const value = json[vendor.timestampField];
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
};

function eventTypes(context: IWebhookFunctions, vendor: VendorDefinition): string[] {
  const selected = selectedEvents(context);
  return Object.keys(vendor.events).filter((type) => isSelected(selected, type));
}

/**
 * The vendor's recent events this trigger has not taken, from its live period and the poll's
 * age bound, as items marked as recovered. Each is recorded with dedupe as it is taken, so no
 * later delivery or catch-up emits it again.
 */
function recoveredItems(context: IWebhookFunctions, vendor: VendorDefinition, poll: RecentEventsPoll, live: LivePeriod, events: unknown[], now: number): IDataObject[] {
  const from = Math.max(live.since, now - poll.maxAgeMinutes * 60_000);
  const until = Math.max(live.activatedAt, PROCESS_STARTED) + ACTIVATION_MARGIN_MS;
  const items: IDataObject[] = [];
  for (const event of events) {
    const parsed = parseEvent(vendor, Buffer.from(JSON.stringify(event)));
    if (!parsed.ok || parsed.eventType === null) continue;
    const at = timeOf(vendor, parsed.body);
    // An event that cannot be placed in time cannot be shown to fall inside the live period.
    if (Number.isNaN(at) || at < from || at > until || isRepeatedDelivery(context, parsed.dedupeKey, true)) continue;
    const convhooks: IDataObject = {
      vendor: vendor.id,
      event: parsed.eventType,
      dedupeKey: parsed.dedupeKey,
      receivedAt: new Date(now).toISOString(),
      // Read over the vendor's API with the credential's key: authentic, but no signature was checked.
      verified: false,
      recoveredFrom: 'api',
      schemaIssues: parsed.issues.map((issue) => ({ ...issue })),
    };
    items.push({ ...parsed.body, convhooks });
  }
  return items;
}

async function poll(context: IWebhookFunctions, vendor: VendorDefinition, recentEvents: RecentEventsPoll, live: LivePeriod, now: number): Promise<IDataObject[]> {
  const types = eventTypes(context, vendor);
  const answers = await Promise.allSettled(
    types.map(async (type) => {
      const answer = await callVendor(context, vendor, recentEvents.request(type, recentEvents.maxPerType), undefined, { attempts: 1, timeoutMs: POLL_TIMEOUT_MS });
      return readAnswer(context, vendor, recentEvents.response, answer);
    }),
  );
  const items: IDataObject[] = [];
  answers.forEach((answer, index) => {
    if (answer.status === 'fulfilled') items.push(...recoveredItems(context, vendor, recentEvents, live, answer.value, now));
    else {
      failed(context, live, now);
      const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      context.logger.warn(`${vendor.name} catch-up could not read recent ${types[index]} events (${reason}); the trigger tries again on a delivery a minute from now.`);
    }
  });
  return items;
}

/**
 * Runs a catch-up after a verified delivery when one is due; otherwise hands its result back
 * untouched. A refusal (no `webhookResponse`: it answered itself) never catches up. Catch-up
 * needs dedupe: without it every catch-up would emit again what the vendor still holds.
 */
export async function catchUpAfter(context: IWebhookFunctions, vendor: VendorDefinition, result: IWebhookResponseData): Promise<IWebhookResponseData> {
  const recentEvents = recentEventsPoll(vendor);
  if (recentEvents === undefined || result.webhookResponse === undefined || context.getMode() !== 'webhook') return result;
  const live = livePeriod(context.getWorkflowStaticData('node'));
  const now = Date.now();
  if (live === undefined || (context.getNodeParameter('options', {}) as { dedupe?: boolean }).dedupe === false || !claim(context, live, now)) return result;
  // The vendor's answer must not wait for the poll, nor fail with it.
  context.getResponseObject().status(200).json(result.webhookResponse);
  const delivered: INodeExecutionData[] = result.workflowData?.[0] ?? [];
  const recovered = await poll(context, vendor, recentEvents, live, now);
  if (recovered.length === 0) return { noWebhookResponse: true, workflowData: result.workflowData };
  const items = [...context.helpers.returnJsonArray(recovered), ...delivered];
  // A stable sort: the delivery stays after recovered events of its own instant.
  const order = (item: INodeExecutionData) => {
    const at = timeOf(vendor, item.json);
    return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
  };
  items.sort((a, b) => order(a) - order(b));
  return { noWebhookResponse: true, workflowData: [items] };
}
