import { sleep, type IDataObject, type IHookFunctions, type INodeExecutionData, type IWebhookFunctions, type IWebhookResponseData, type WorkflowActivateMode } from 'n8n-workflow';
import { parseEvent } from '../../shared/parse-event';
import type { RecentEventsPoll } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { isRepeatedDelivery } from './dedupe';
import { eventItem } from './item';
import { isSelected, selectedEvents } from './event-selection';
import { activationDown, reactivatedWithin } from './live-activation';
import { rememberBounded, triggerScope } from './process-memory';
import { livePeriod, recordActivation, recordSeen, type ActivationKind, type LivePeriod } from './static-data';
import { callVendor, readAnswer } from './vendor-client';

/**
 * Catch-up: events the vendor sent while nobody listened (n8n stopped or restarting, the
 * trigger being republished, a new subscription's deliveries before its secret was saved) are
 * still behind the vendor's recent-events API. n8n lets a webhook node emit only in answer to a
 * delivery, so each n8n process catches up on the first delivery it verifies after each
 * activation: it polls, answers (after a second at the latest, whatever the poll does), and
 * starts one execution with the recovered events and the delivery's own item, oldest first.
 */

const recentEventsPoll = (vendor: VendorDefinition): RecentEventsPoll | undefined =>
  vendor.registration.kind === 'api' ? vendor.registration.api.recentEvents : undefined;

/** n8n's activation modes: `activate` is a fresh publish (after an unpublish, or the first one); `init` is n8n starting, `leadershipChange` a multi-main instance taking over. */
const activationKind = (mode: WorkflowActivateMode): ActivationKind => {
  if (mode === 'activate') return 'fresh publish';
  return mode === 'init' || mode === 'leadershipChange' ? 'n8n start' : 'other';
};

/** Called by an activation. */
export function noteActivation(context: IHookFunctions, vendor: VendorDefinition, now = new Date()): void {
  const activation = context.getActivationMode();
  if (recentEventsPoll(vendor) === undefined || activation === 'manual') return;
  recordActivation(context.getWorkflowStaticData('node'), activationKind(activation), now);
}

/**
 * Called when a delivery subscribed the trigger again (lost-subscription.ts): like a restart, it
 * continues the live period, and each process catches up on what was refused meanwhile.
 */
export function noteResubscribed(context: IWebhookFunctions, vendor: VendorDefinition, now = new Date()): void {
  if (recentEventsPoll(vendor) !== undefined) recordActivation(context.getWorkflowStaticData('node'), 'other', now);
}

interface CaughtUp {
  /** The activation this process caught up after. */
  readonly activatedAt: number;
  /**
   * What this process still owes a catch-up of, whatever the activation: a failed poll's window,
   * or the time it refused deliveries. Deliveries taken meanwhile (perhaps by other processes)
   * move `lastSeen` past it, and the window of a process that has taken some ends at the
   * activation: the next catch-up covers this window too, or it would miss what it owes.
   */
  readonly owed?: Window;
  /** Set when a poll failed: the next delivery from then on tries again. */
  readonly retryAt?: number;
}

/** Per trigger, in this process: an empty map is what "n8n (re)started" looks like from inside. */
const caughtUp = new Map<string, CaughtUp>();
/**
 * Triggers that took a delivery in this process: their recent keys are all in its memory, where
 * static data loses some under concurrent deliveries (see dedupe.ts).
 */
const takenHere = new Set<string>();
const MAX_TRIGGERS = 10_000;
/** The delivery's own item waits for the poll: a vendor that hangs must not hold it long. */
const POLL_TIMEOUT_MS = 3_000;
/**
 * How long the vendor's answer waits for the poll. Answering after it keeps short the moment in
 * which the vendor's next event, perhaps on another processor, finds the keys of what this
 * catch-up recovered not yet saved. A slower poll must not hold the answer: past this, it goes.
 */
const ANSWER_WAIT_MS = 1_000;
const RETRY_AFTER_MS = 60_000;
/**
 * How long a delivery waits for n8n to put a trigger's activation back up. A republish that
 * changes the trigger takes it down and up again within the vendor calls of one unsubscribe and
 * one subscribe; a stopping n8n never puts it back, and the delivery is refused after this.
 */
const ACTIVATION_WAIT_MS = 2_000;

/** Whether a catch-up is due; claimed before polling, so deliveries arriving meanwhile do not poll again. */
function claim(scope: string, live: LivePeriod, now: number): boolean {
  const done = caughtUp.get(scope);
  if (done !== undefined && done.activatedAt === live.activatedAt && (done.owed === undefined || (done.retryAt !== undefined && now < done.retryAt))) return false;
  rememberBounded(caughtUp, scope, { activatedAt: live.activatedAt }, MAX_TRIGGERS);
  return true;
}

/**
 * When n8n loaded this node. After a restart n8n takes deliveries before it records its start-up
 * activation of the workflow (a queue-mode processor never records one), and the first of them
 * must catch up on the time it was down rather than wait for that activation.
 */
const STARTED_AT = Date.now();

/** When the events a catch-up recovers were made, in ms. */
interface Window {
  readonly from: number;
  readonly until: number;
}

/**
 * Notes a delivery this process refused while n8n had the activation down. A stopping n8n ends
 * with the process, but a main instance stepped down from leader goes on, and refused for a while
 * what was made after the new leader's activation, which no other catch-up reaches: it owes them.
 */
function owe(scope: string, vendor: VendorDefinition, downSince: number, now: number): void {
  const done = caughtUp.get(scope);
  // From when the activation went down: an event made before the first refusal may come late.
  const from = Math.min(done?.owed?.from ?? now, downSince - vendor.delivery.timeoutMs);
  const until = Math.max(done?.owed?.until ?? now, now);
  rememberBounded(caughtUp, scope, { activatedAt: done?.activatedAt ?? Number.NaN, owed: { from, until }, retryAt: done?.retryAt }, MAX_TRIGGERS);
}

/**
 * From the newest event the trigger took, where the gap began, within the live period and the
 * poll's age bound, until the latest activation. Where this process holds the trigger's recent
 * keys, it reaches back by the vendor's delivery timeout too, for an older event still on its way
 * when the gap began; a process that took nothing yet (n8n restarted) does not, since static data
 * may have lost keys of events taken then, and they would run again. An event made after the
 * activation met a subscribed, listening n8n: in queue mode another processor may be taking it at
 * this moment, with keys this process cannot see, and recovering it here too would run it twice
 * (seen: most events of a republish under round-robin traffic ran twice when the window reached
 * up to now).
 *
 * Until now, though, where this process was down after the activation: it started since (n8n
 * restarted, or a queue-mode processor did), or n8n's start made the activation and this process
 * has taken nothing since. A queue-mode processor restarted with the main instance can start
 * listening seconds after the main instance's start-up activation, and what nginx refused in those
 * seconds would otherwise never come back (seen in the loss-window run, routed by path).
 */
function windowOf(vendor: VendorDefinition, poll: RecentEventsPoll, live: LivePeriod, scope: string, now: number): Window {
  const tookHere = takenHere.has(scope);
  const reach = tookHere ? vendor.delivery.timeoutMs : 0;
  const owed = caughtUp.get(scope)?.owed;
  const gapBegan = Math.min((live.lastSeen ?? live.since) - reach, owed?.from ?? Number.POSITIVE_INFINITY);
  const from = Math.max(live.since, gapBegan, now - poll.maxAgeMinutes * 60_000);
  const downSinceActivation = live.activatedAt < STARTED_AT || (live.atStart && !tookHere);
  const until = downSinceActivation ? now : Math.min(now, live.activatedAt);
  return { from, until: Math.max(until, owed?.until ?? Number.NEGATIVE_INFINITY) };
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
 * The vendor's recent events of the polled type this trigger has not taken, made inside the
 * window, as items marked as recovered. Each is recorded with dedupe as it is taken, so no
 * later delivery or catch-up emits it again.
 */
function recoveredItems(context: IWebhookFunctions, vendor: VendorDefinition, window: Window, type: string, events: unknown[], now: number): IDataObject[] {
  const items: IDataObject[] = [];
  for (const event of events) {
    const parsed = parseEvent(vendor, Buffer.from(JSON.stringify(event)));
    // Converc's doc answers a poll for one type with an element of another: the poll's filter is no promise.
    if (!parsed.ok || parsed.eventType !== type) continue;
    const at = timeOf(vendor, parsed.body);
    // An event that cannot be placed in time cannot be shown to fall inside the live period.
    if (Number.isNaN(at) || at < window.from || at > window.until || isRepeatedDelivery(context, parsed.dedupeKey, true)) continue;
    items.push(eventItem(vendor, parsed, new Date(now), { recoveredFrom: 'api' }));
  }
  return items;
}

async function poll(context: IWebhookFunctions, vendor: VendorDefinition, recentEvents: RecentEventsPoll, window: Window, live: LivePeriod, now: number): Promise<IDataObject[]> {
  const types = eventTypes(context, vendor);
  const answers = await Promise.allSettled(
    types.map(async (type) => {
      const answer = await callVendor(context, vendor, recentEvents.request(type, recentEvents.maxPerType), undefined, { attempts: 1, timeoutMs: POLL_TIMEOUT_MS });
      return recoveredItems(context, vendor, window, type, readAnswer(context, vendor, recentEvents.response, answer), now);
    }),
  );
  const items: IDataObject[] = [];
  answers.forEach((answer, index) => {
    if (answer.status === 'fulfilled') items.push(...answer.value);
    else {
      rememberBounded(caughtUp, triggerScope(context), { activatedAt: live.activatedAt, owed: window, retryAt: now + RETRY_AFTER_MS }, MAX_TRIGGERS);
      const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      context.logger.warn(`${vendor.name} catch-up could not read recent ${types[index]} events (${reason}); the trigger tries again on a delivery a minute from now.`);
    }
  });
  return items;
}

/**
 * Answers the delivery itself. n8n then saves static data before it starts the execution; when
 * n8n answers, a single process starts the execution first, and its copy of static data, loaded
 * before the delivery's was saved, is what ends up stored: `lastSeen` and the dedupe keys a
 * catch-up after a restart relies on would be lost (seen in n8n 2.41.1).
 */
function answeredHere(context: IWebhookFunctions, result: IWebhookResponseData): IWebhookResponseData {
  context.getResponseObject().status(200).json(result.webhookResponse);
  return { noWebhookResponse: true, workflowData: result.workflowData };
}

/** The delivery's items and the recovered ones, oldest first; a stable sort keeps the delivery after events of its own instant. */
function inOrder(context: IWebhookFunctions, vendor: VendorDefinition, recovered: IDataObject[], delivered: INodeExecutionData[]): INodeExecutionData[] {
  const items = [...context.helpers.returnJsonArray(recovered), ...delivered];
  const order = (item: INodeExecutionData) => {
    const at = timeOf(vendor, item.json);
    return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
  };
  return items.sort((a, b) => order(a) - order(b));
}

/**
 * What a production delivery's catch-up rests on: the vendor's recent-events API, a live period
 * (the trigger has been activated) and dedupe; none of it in a test execution.
 */
function catchUpSetUp(context: IWebhookFunctions, vendor: VendorDefinition): { recentEvents: RecentEventsPoll; live: LivePeriod } | undefined {
  const recentEvents = recentEventsPoll(vendor);
  if (recentEvents === undefined || context.getMode() !== 'webhook') return undefined;
  const live = livePeriod(context.getWorkflowStaticData('node'));
  if (live === undefined || (context.getNodeParameter('options', {}) as { dedupe?: boolean }).dedupe === false) return undefined;
  return { recentEvents, live };
}

/**
 * Whether to take a delivery now. Where catch-up is set up, the trigger answers before n8n
 * records the execution (answeredHere), so a delivery taken as n8n stops can be answered 200 with
 * its key saved while its execution is never recorded, n8n having closed its database in between:
 * lost, and skipped by the next catch-up as taken. While n8n has the trigger's activation down,
 * the delivery is refused instead, and catch-up brings it back after the next activation.
 */
export async function mayTakeDelivery(context: IWebhookFunctions, vendor: VendorDefinition): Promise<boolean> {
  // The activation is nearly always up: one lookup then, and catch-up's setup is read only when it is down.
  const down = activationDown(context);
  if (down === undefined || catchUpSetUp(context, vendor) === undefined || (await reactivatedWithin(down, ACTIVATION_WAIT_MS))) return true;
  owe(triggerScope(context), vendor, down.at, Date.now());
  return false;
}

/**
 * Runs a catch-up after a verified delivery when one is due; otherwise hands its result back
 * untouched. A refusal (no `webhookResponse`: it answered itself) never catches up. Catch-up
 * needs dedupe: without it every catch-up would emit again what the vendor still holds.
 */
export async function catchUpAfter(context: IWebhookFunctions, vendor: VendorDefinition, result: IWebhookResponseData): Promise<IWebhookResponseData> {
  const setUp = catchUpSetUp(context, vendor);
  if (setUp === undefined || result.webhookResponse === undefined) return result;
  const { recentEvents, live } = setUp;
  const staticData = context.getWorkflowStaticData('node');
  const scope = triggerScope(context);
  const now = Date.now();
  const window = windowOf(vendor, recentEvents, live, scope, now);
  const delivered: INodeExecutionData[] = result.workflowData?.[0] ?? [];
  for (const item of delivered) recordSeen(staticData, timeOf(vendor, item.json));
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
