import type { IDataObject, IHookFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { parseEvent } from '../../shared/parse-event';
import type { RecentEventsPoll } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { isRepeatedDelivery } from './dedupe';
import { isSelected, selectedEvents } from './event-selection';
import { livePeriod, recordActivation, recordSeen, type LivePeriod } from './static-data';
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
  /** Where that catch-up's window ended: a refusal answered later calls for another. */
  readonly until: number;
  /** When the next catch-up may run at the soonest: after a failed poll, or for a later refusal. */
  readonly notBefore: number;
  /** Set when a poll failed: the next delivery after `notBefore` tries again. */
  readonly failed?: boolean;
}

/** Per trigger, in this process: an empty map is what "n8n (re)started" looks like from inside. */
const caughtUp = new Map<string, CaughtUp>();
/**
 * The latest refusal this process answered, per trigger. In queue mode the deliveries of a new
 * subscription that reach a processor before n8n has saved its secret are refused (the process
 * that created it is another one): a catch-up after such a refusal reaches up to it.
 */
const refusedAt = new Map<string, number>();
const MAX_TRIGGERS = 10_000;
/** The delivery's own item waits for the poll (its answer does not): a vendor that hangs must not hold it long. */
const POLL_TIMEOUT_MS = 3_000;
const RETRY_AFTER_MS = 60_000;
/**
 * A refusal answered after this process caught up (a slow request that loaded static data before
 * n8n saved the new secret) is caught up on this soon; forged requests cannot make it sooner.
 */
const AGAIN_AFTER_REFUSAL_MS = 5_000;

const scopeOf = (context: IWebhookFunctions) => `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;

function remember<T>(map: Map<string, T>, scope: string, value: T): void {
  map.delete(scope);
  if (map.size >= MAX_TRIGGERS) map.delete(map.keys().next().value ?? '');
  map.set(scope, value);
}

/** Whether a catch-up is due; claimed before polling, so deliveries arriving meanwhile do not poll again. */
function claim(scope: string, live: LivePeriod, window: Window, now: number): boolean {
  const done = caughtUp.get(scope);
  const due = done === undefined || done.activatedAt !== live.activatedAt || (now >= done.notBefore && (done.failed === true || window.until > done.until));
  if (due) remember(caughtUp, scope, { activatedAt: live.activatedAt, until: window.until, notBefore: now + AGAIN_AFTER_REFUSAL_MS });
  return due;
}

/** When the events a catch-up recovers were made, in ms. */
interface Window {
  readonly from: number;
  readonly until: number;
}

/**
 * From the newest event the trigger took (where the gap began), less the vendor's delivery
 * timeout (an older event may still have been on its way), within the live period and the poll's
 * age bound; until the activation ended, or the latest refusal here if later. An event made later
 * met a listening n8n: it was delivered, perhaps to another process at this moment, and
 * recovering it here too would run it twice.
 */
function windowOf(vendor: VendorDefinition, poll: RecentEventsPoll, live: LivePeriod, scope: string, now: number): Window {
  const gapFrom = (live.lastSeen ?? live.since) - vendor.delivery.timeoutMs;
  const from = Math.max(live.since, gapFrom, now - poll.maxAgeMinutes * 60_000);
  return { from, until: Math.max(live.activatedAt, refusedAt.get(scope) ?? live.activatedAt) };
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
 * The vendor's recent events this trigger has not taken, made inside the window, as items
 * marked as recovered. Each is recorded with dedupe as it is taken, so no
 * later delivery or catch-up emits it again.
 */
function recoveredItems(context: IWebhookFunctions, vendor: VendorDefinition, window: Window, events: unknown[], now: number): IDataObject[] {
  const items: IDataObject[] = [];
  for (const event of events) {
    const parsed = parseEvent(vendor, Buffer.from(JSON.stringify(event)));
    if (!parsed.ok || parsed.eventType === null) continue;
    const at = timeOf(vendor, parsed.body);
    // An event that cannot be placed in time cannot be shown to fall inside the live period.
    if (Number.isNaN(at) || at < window.from || at > window.until || isRepeatedDelivery(context, parsed.dedupeKey, true)) continue;
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

async function poll(context: IWebhookFunctions, vendor: VendorDefinition, recentEvents: RecentEventsPoll, window: Window, live: LivePeriod, now: number): Promise<IDataObject[]> {
  const types = eventTypes(context, vendor);
  const answers = await Promise.allSettled(
    types.map(async (type) => {
      const answer = await callVendor(context, vendor, recentEvents.request(type, recentEvents.maxPerType), undefined, { attempts: 1, timeoutMs: POLL_TIMEOUT_MS });
      return readAnswer(context, vendor, recentEvents.response, answer);
    }),
  );
  const items: IDataObject[] = [];
  answers.forEach((answer, index) => {
    if (answer.status === 'fulfilled') items.push(...recoveredItems(context, vendor, window, answer.value, now));
    else {
      remember(caughtUp, scopeOf(context), { activatedAt: live.activatedAt, until: window.until, notBefore: now + RETRY_AFTER_MS, failed: true });
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
  if (recentEvents === undefined || context.getMode() !== 'webhook') return result;
  const scope = scopeOf(context);
  const now = Date.now();
  if (result.webhookResponse === undefined) {
    remember(refusedAt, scope, now);
    return result;
  }
  const staticData = context.getWorkflowStaticData('node');
  const live = livePeriod(staticData);
  if (live === undefined || (context.getNodeParameter('options', {}) as { dedupe?: boolean }).dedupe === false) return result;
  const delivered: INodeExecutionData[] = result.workflowData?.[0] ?? [];
  for (const item of delivered) recordSeen(staticData, timeOf(vendor, item.json));
  const window = windowOf(vendor, recentEvents, live, scope, now);
  if (window.from > window.until || !claim(scope, live, window, now)) return result;
  // The vendor's answer must not wait for the poll, nor fail with it.
  context.getResponseObject().status(200).json(result.webhookResponse);
  const recovered = await poll(context, vendor, recentEvents, window, live, now);
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
