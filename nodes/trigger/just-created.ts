import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { rememberBounded, triggerScope } from './process-memory';
import { ownedSubscription, ownedSubscriptions, rememberSubscription, type OwnedSubscription } from './static-data';

type NodeContext = Pick<IHookFunctions | IWebhookFunctions, 'getNode' | 'getWorkflow' | 'getMode'>;

interface Created {
  readonly id: string;
  readonly sealedSecret: string;
  readonly secret: string;
  readonly at: number;
  /** Made for the editor's test listening: only test deliveries may use it. */
  readonly manual: boolean;
}

/**
 * Subscriptions this process created, by trigger and webhook URL, until n8n has surely saved
 * them. n8n registers the webhook before it calls `create` and saves static data only once every
 * webhook of the workflow is created, while each delivery loads static data from the database:
 * without this, deliveries of the new subscription in between find no secret and are refused.
 * The vendor's answer is what the secret is known by, so a delivery it verifies is the vendor's.
 */
const created = new Map<string, Map<string, Created>>();
/** Far longer than an activation takes; a delivery that loaded static data before it was saved ends well within it. */
const KEEP_MS = 10 * 60_000;
const MAX_TRIGGERS = 1000;

export function noteCreated(context: NodeContext, url: string, subscription: Pick<Created, 'id' | 'sealedSecret' | 'secret'>, now = Date.now()): void {
  const scope = triggerScope(context);
  const byUrl = created.get(scope) ?? new Map<string, Created>();
  byUrl.set(url, { ...subscription, at: now, manual: context.getMode() === 'manual' });
  rememberBounded(created, scope, byUrl, MAX_TRIGGERS);
}

/** After a removal: what was removed must verify nothing more. */
export function forgetCreated(context: NodeContext, url: string): void {
  created.get(triggerScope(context))?.delete(url);
}

function fresh(context: NodeContext, now: number): [string, Created][] {
  const byUrl = created.get(triggerScope(context));
  if (byUrl === undefined) return [];
  for (const [url, entry] of byUrl) if (now - entry.at > KEEP_MS) byUrl.delete(url);
  if (byUrl.size === 0) created.delete(triggerScope(context));
  const manual = context.getMode() === 'manual';
  return [...byUrl].filter(([, entry]) => entry.manual === manual);
}

/** The subscriptions static data holds, and those this process created that it does not hold yet. */
export function withJustCreated(context: NodeContext, staticData: IDataObject, now = Date.now()): OwnedSubscription[] {
  const owned = ownedSubscriptions(staticData);
  const ids = new Set(owned.map((subscription) => subscription.id));
  const unsaved = fresh(context, now).filter(([, entry]) => !ids.has(entry.id));
  return [...owned, ...unsaved.map(([, entry]) => ({ id: entry.id, plainSecret: entry.secret }))];
}

/**
 * Puts what this process created into a delivery's copy of static data where it is missing. n8n
 * writes static data back whole after a delivery that changed it (dedupe does): a copy loaded
 * before the activation saved would otherwise overwrite the new subscription with the old one.
 */
export function keepJustCreated(context: NodeContext, staticData: IDataObject, now = Date.now()): void {
  for (const [url, entry] of fresh(context, now)) {
    if (ownedSubscription(staticData, url)?.id !== entry.id) rememberSubscription(staticData, url, { id: entry.id, sealedSecret: entry.sealedSecret });
  }
}
