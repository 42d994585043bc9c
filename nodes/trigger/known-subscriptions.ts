import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { rememberBounded, triggerScope } from './process-memory';
import { ownedSubscriptionsByUrl, rememberSubscription, type OwnedSubscription } from './static-data';

type NodeContext = Pick<IHookFunctions | IWebhookFunctions, 'getNode' | 'getWorkflow' | 'getMode'>;

interface Known {
  readonly id: string;
  readonly sealedSecret: string;
  readonly createdAt: number;
  /** Only for what this process created: the vendor's answer is what the secret is known by. */
  readonly secret?: string;
  /** When this process created it. */
  readonly notedAt?: number;
  /** Made for the editor's test listening: only test deliveries may use it while unsaved. */
  readonly manual: boolean;
}

/**
 * The newest subscription this process knows of for each URL of each trigger: the ones it
 * created, and the newest record it found in any copy of static data a delivery loaded.
 *
 * n8n loads static data from the database when a request starts and writes it back whole when
 * a delivery changed it (dedupe does). A copy loaded before an activation saved misses what that
 * activation did, and two moments matter:
 * - n8n registers a webhook before it calls `create` and saves only once every webhook of the
 *   workflow is created: deliveries in between find no secret for the new subscription. The
 *   process that created it verifies them with what it noted, for a while (KEEP_UNSAVED_MS).
 * - In queue mode the activation runs on the main instance, deliveries on webhook processors: a
 *   delivery of the removed subscription loaded before the activation, written after it, would
 *   put the removed subscription back over the new one, and every delivery from then on would be
 *   refused. A processor that has seen the newer record puts it back into every copy it writes.
 */
const known = new Map<string, Map<string, Known>>();
/** Far longer than an activation takes; a delivery that loaded static data before it was saved ends well within it. */
const KEEP_UNSAVED_MS = 10 * 60_000;
const MAX_TRIGGERS = 1000;

function knownFor(context: NodeContext): Map<string, Known> {
  const scope = triggerScope(context);
  const byUrl = known.get(scope) ?? new Map<string, Known>();
  rememberBounded(known, scope, byUrl, MAX_TRIGGERS);
  return byUrl;
}

export function noteCreated(context: NodeContext, url: string, subscription: Pick<Known, 'id' | 'sealedSecret' | 'secret' | 'createdAt'>, now = Date.now()): void {
  knownFor(context).set(url, { ...subscription, notedAt: now, manual: context.getMode() === 'manual' });
}

/** After a removal: what was removed must verify nothing more. */
export function forgetCreated(context: NodeContext, url: string): void {
  known.get(triggerScope(context))?.delete(url);
}

/** Whether `entry` replaces `stored` at its URL: another subscription, created later. */
const isNewer = (entry: Known, stored: OwnedSubscription) => stored.id !== entry.id && (stored.createdAt ?? 0) < entry.createdAt;

/** Takes the copy's records that are newer than what this process knew; the secrets stay sealed. */
function learn(byUrl: Map<string, Known>, stored: Map<string, OwnedSubscription>): void {
  for (const [url, record] of stored) {
    const entry = byUrl.get(url);
    if (record.createdAt === undefined || !('sealedSecret' in record) || (entry !== undefined && entry.createdAt >= record.createdAt)) continue;
    byUrl.set(url, { id: record.id, sealedSecret: record.sealedSecret, createdAt: record.createdAt, manual: false });
  }
}

/**
 * What this process knows that a delivery's copy lacks: a newer record than the copy's for a URL,
 * or one it created lately that the copy does not hold yet. Otherwise a URL the copy holds nothing
 * for stays empty: its subscription was removed.
 */
function missingFrom(context: NodeContext, staticData: IDataObject, now: number): [string, Known][] {
  const stored = new Map(ownedSubscriptionsByUrl(staticData));
  const byUrl = knownFor(context);
  learn(byUrl, stored);
  const manual = context.getMode() === 'manual';
  const missing: [string, Known][] = [];
  for (const [url, entry] of byUrl) {
    const unsaved = entry.notedAt !== undefined && now - entry.notedAt <= KEEP_UNSAVED_MS;
    // Past that, the plain secret goes: a newer record is opened from its sealed copy like any other.
    const kept = unsaved || entry.secret === undefined ? entry : { id: entry.id, sealedSecret: entry.sealedSecret, createdAt: entry.createdAt, manual: entry.manual };
    if (kept !== entry) byUrl.set(url, kept);
    const record = stored.get(url);
    if (record === undefined ? unsaved && entry.manual === manual : isNewer(kept, record)) missing.push([url, kept]);
  }
  return missing;
}

/** The subscriptions a delivery's copy holds, and those this process knows it lacks. */
export function withKnown(context: NodeContext, staticData: IDataObject, now = Date.now()): OwnedSubscription[] {
  const owned = ownedSubscriptionsByUrl(staticData).map(([, subscription]) => subscription);
  const missing = missingFrom(context, staticData, now).map(([, entry]): OwnedSubscription =>
    entry.secret === undefined ? { id: entry.id, sealedSecret: entry.sealedSecret, createdAt: entry.createdAt } : { id: entry.id, plainSecret: entry.secret, createdAt: entry.createdAt },
  );
  return [...owned, ...missing];
}

/** Puts what this process knows into the copy n8n is about to write back, where the copy lacks it. */
export function keepKnown(context: NodeContext, staticData: IDataObject, now = Date.now()): void {
  for (const [url, entry] of missingFrom(context, staticData, now)) rememberSubscription(staticData, url, entry);
}
