import { sleep, type IDataObject, type INodeExecutionData, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { parseEvent } from '../../shared/parse-event';
import type { RecentEventsPoll } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { activationDown, reactivatedWithin } from './activation';
import { isRepeatedDelivery } from './dedupe';
import { eventItem, isSelected, selectedEvents } from './events';
import { rememberBounded, triggerScope } from './memory';
import { livePeriod, recordSeen, type LivePeriod } from './static-data';
import { callVendor, readAnswer } from './vendor-client';

// Catch-up: what the vendor sent while nobody listened is still behind its recent-events API; each
// process reads it back on the first delivery it verifies after each activation (docs/design/trigger.md).

/** When the events a catch-up recovers were made, in ms. */
interface Window {
  readonly from: number;
  readonly until: number;
}

interface CaughtUp {
  /** The activation this process caught up after. */
  readonly activatedAt: number;
  /** A failed poll's window, or the time this process refused deliveries: the next catch-up covers it too. */
  readonly owed?: Window;
  /** Set when a poll failed: the next delivery from then on tries again. */
  readonly retryAt?: number;
}

const MAX_TRIGGERS = 10_000;
/** Per trigger in this process: an empty map is what "n8n (re)started" looks like from inside. */
const caughtUp = new Map<string, CaughtUp>();
const note = (scope: string, value: CaughtUp) => rememberBounded(caughtUp, scope, value, MAX_TRIGGERS);
/** Triggers that took a delivery in this process: their recent keys are all in its memory. */
const takenHere = new Set<string>();
/** When n8n loaded this node: a process that started after the activation was down in between. */
const STARTED_AT = Date.now();
/** The delivery's own item waits for the poll: a vendor that hangs must not hold it long. */
const POLL_TIMEOUT_MS = 3_000;
/** The vendor's answer waits this long for the poll at most, keeping short the moment other processors miss its keys. */
const ANSWER_WAIT_MS = 1_000;
const RETRY_AFTER_MS = 60_000;
/** A changing republish puts the activation back within one unsubscribe and one subscribe; a stopping n8n never does. */
const ACTIVATION_WAIT_MS = 2_000;

/** Whether a catch-up is due; claimed before polling, so deliveries arriving meanwhile do not poll again. */
function claim(scope: string, live: LivePeriod, now: number): boolean {
  const done = caughtUp.get(scope);
  if (done !== undefined && done.activatedAt === live.activatedAt && (done.owed === undefined || (done.retryAt !== undefined && now < done.retryAt))) return false;
  note(scope, { activatedAt: live.activatedAt });
  return true;
}

/** A refused delivery: this process owes the window from when the activation went down (minus the delivery timeout) until now. */
function owe(scope: string, vendor: VendorDefinition, downSince: number, now: number): void {
  const done = caughtUp.get(scope);
  const from = Math.min(done?.owed?.from ?? now, downSince - vendor.delivery.timeoutMs);
  note(scope, { activatedAt: done?.activatedAt ?? Number.NaN, owed: { from, until: Math.max(done?.owed?.until ?? now, now) }, retryAt: done?.retryAt });
}

/**
 * From the newest event taken (reaching back by the delivery timeout where this process holds the
 * keys), within the live period and the poll's age bound, until the latest activation; until now
 * where this process was down after it. Each bound's reason: docs/design/trigger.md.
 */
function windowOf(vendor: VendorDefinition, poll: RecentEventsPoll, live: LivePeriod, scope: string, now: number): Window {
  const tookHere = takenHere.has(scope);
  const owed = caughtUp.get(scope)?.owed;
  const gapBegan = Math.min((live.lastSeen ?? live.since) - (tookHere ? vendor.delivery.timeoutMs : 0), owed?.from ?? Number.POSITIVE_INFINITY);
  const from = Math.max(live.since, gapBegan, now - poll.maxAgeMinutes * 60_000);
  const downSinceActivation = live.activatedAt < STARTED_AT || (live.atStart && !tookHere);
  const until = downSinceActivation ? now : Math.min(now, live.activatedAt);
  return { from, until: Math.max(until, owed?.until ?? Number.NEGATIVE_INFINITY) };
}

const timeOf = (vendor: VendorDefinition, json: IDataObject): number => {
  const value = json[vendor.timestampField];
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
};

/** The polled type's events inside the window that the trigger has not taken, each recorded by dedupe as it is taken. */
function recoveredItems(context: IWebhookFunctions, vendor: VendorDefinition, window: Window, type: string, events: unknown[], now: number): IDataObject[] {
  const items: IDataObject[] = [];
  for (const event of events) {
    const parsed = parseEvent(vendor, Buffer.from(JSON.stringify(event)));
    // Converc's doc answers a poll for one type with an element of another: the filter is no promise.
    if (!parsed.ok || parsed.eventType !== type) continue;
    const at = timeOf(vendor, parsed.body);
    // An event that cannot be placed in time cannot be shown to fall inside the live period.
    if (Number.isNaN(at) || at < window.from || at > window.until || isRepeatedDelivery(context, parsed.dedupeKey, true)) continue;
    items.push(eventItem(vendor, parsed, new Date(now), { recoveredFrom: 'api' }));
  }
  return items;
}

async function poll(context: IWebhookFunctions, vendor: VendorDefinition, recentEvents: RecentEventsPoll, window: Window, live: LivePeriod, now: number): Promise<IDataObject[]> {
  const selected = selectedEvents(context);
  const types = Object.keys(vendor.events).filter((type) => isSelected(selected, type));
  const answers = await Promise.allSettled(
    types.map(async (type) => {
      const answer = await callVendor(context, vendor, recentEvents.request(type, recentEvents.maxPerType), undefined, { attempts: 1, timeoutMs: POLL_TIMEOUT_MS });
      return recoveredItems(context, vendor, window, type, readAnswer(context, vendor, recentEvents.response, answer), now);
    }),
  );
  return answers.flatMap((answer, index) => {
    if (answer.status === 'fulfilled') return answer.value;
    note(triggerScope(context), { activatedAt: live.activatedAt, owed: window, retryAt: now + RETRY_AFTER_MS });
    const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
    context.logger.warn(`${vendor.name} catch-up could not read recent ${types[index]} events (${reason}); the trigger tries again on a delivery a minute from now.`);
    return [];
  });
}

/** Answers the delivery before n8n saves static data, or the saved copy would lose its keys (docs/design/answer-before-persist.md). */
function answeredHere(context: IWebhookFunctions, result: IWebhookResponseData): IWebhookResponseData {
  context.getResponseObject().status(200).json(result.webhookResponse);
  return { noWebhookResponse: true, workflowData: result.workflowData };
}

/** The delivery's items and the recovered ones, oldest first; the stable sort keeps the delivery after events of its own instant. */
function inOrder(context: IWebhookFunctions, vendor: VendorDefinition, recovered: IDataObject[], delivered: INodeExecutionData[]): INodeExecutionData[] {
  const order = (item: INodeExecutionData) => {
    const at = timeOf(vendor, item.json);
    return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
  };
  return [...context.helpers.returnJsonArray(recovered), ...delivered].sort((a, b) => order(a) - order(b));
}

/** Catch-up rests on the recent-events API, a live period and dedupe (or it would emit again what the vendor still holds); none of it in a test. */
function catchUpSetUp(context: IWebhookFunctions, vendor: VendorDefinition): { recentEvents: RecentEventsPoll; live: LivePeriod } | undefined {
  const recentEvents = vendor.registration.kind === 'api' ? vendor.registration.api.recentEvents : undefined;
  if (recentEvents === undefined || context.getMode() !== 'webhook') return undefined;
  const live = livePeriod(context.getWorkflowStaticData('node'));
  if (live === undefined || (context.getNodeParameter('options', {}) as { dedupe?: boolean }).dedupe === false) return undefined;
  return { recentEvents, live };
}

/**
 * Whether to take a delivery now. While n8n has the activation down, one answered 200 could end
 * with no execution (docs/design/503-while-stopping.md): it is refused, and caught up on later.
 */
export async function mayTakeDelivery(context: IWebhookFunctions, vendor: VendorDefinition): Promise<boolean> {
  // Nearly always up: one lookup then.
  const down = activationDown(context);
  if (down === undefined || catchUpSetUp(context, vendor) === undefined || (await reactivatedWithin(down, ACTIVATION_WAIT_MS))) return true;
  owe(triggerScope(context), vendor, down.since, Date.now());
  return false;
}

/** After an accepted delivery: catches up when due, and answers the delivery itself; a refusal passes through untouched. */
export async function catchUpAfter(context: IWebhookFunctions, vendor: VendorDefinition, result: IWebhookResponseData): Promise<IWebhookResponseData> {
  const setUp = catchUpSetUp(context, vendor);
  if (setUp === undefined || result.webhookResponse === undefined) return result;
  const { recentEvents, live } = setUp;
  const scope = triggerScope(context);
  const now = Date.now();
  const window = windowOf(vendor, recentEvents, live, scope, now);
  const delivered: INodeExecutionData[] = result.workflowData?.[0] ?? [];
  for (const item of delivered) recordSeen(context.getWorkflowStaticData('node'), timeOf(vendor, item.json));
  if (delivered.length > 0 && !takenHere.has(scope)) {
    if (takenHere.size >= MAX_TRIGGERS) takenHere.clear();
    takenHere.add(scope);
  }
  if (window.from > window.until || !claim(scope, live, now)) return answeredHere(context, result);
  const polling = poll(context, vendor, recentEvents, window, live, now);
  await Promise.race([polling, sleep(ANSWER_WAIT_MS)]);
  const answered = answeredHere(context, result);
  const items = inOrder(context, vendor, await polling, delivered);
  return items.length === 0 ? answered : { ...answered, workflowData: [items] };
}
