import type { IDataObject } from 'n8n-workflow';

/**
 * What the node keeps of one subscription it created. The vendor shows the signing secret only
 * in its answer to the create call, so this is its only copy: sealed (see sealed-secret.ts), or,
 * as an earlier version left it, in plain text until the next activation seals it.
 */
export type OwnedSubscription =
  | { readonly id: string; readonly sealedSecret: string }
  | { readonly id: string; readonly plainSecret: string };

/** As stored: `secret` is the plain-text field of earlier versions. */
interface StoredSubscription {
  id?: unknown;
  sealedSecret?: unknown;
  secret?: unknown;
}

/**
 * The node's static data, keyed by webhook URL: the test URL and the production URL each get
 * their own subscription, so listening for a test event never replaces the live one.
 */
interface TriggerStaticData {
  subscriptions?: Record<string, StoredSubscription>;
  /** Dedupe keys of recent deliveries, oldest first. */
  seen?: string[];
}

const view = (staticData: IDataObject) => staticData as TriggerStaticData;

/** Static data comes from the database and from imported workflows: an entry of another shape is no subscription. */
function read(stored: StoredSubscription | undefined): OwnedSubscription | undefined {
  if (typeof stored !== 'object' || stored === null || typeof stored.id !== 'string') return undefined;
  if (typeof stored.sealedSecret === 'string') return { id: stored.id, sealedSecret: stored.sealedSecret };
  if (typeof stored.secret === 'string' && stored.secret !== '') return { id: stored.id, plainSecret: stored.secret };
  return undefined;
}

export function ownedSubscription(staticData: IDataObject, url: string): OwnedSubscription | undefined {
  const subscriptions = view(staticData).subscriptions ?? {};
  return Object.hasOwn(subscriptions, url) ? read(subscriptions[url]) : undefined;
}

/** Every subscription the node holds: a delivery may come from the test or the production one. */
export function ownedSubscriptions(staticData: IDataObject): OwnedSubscription[] {
  const subscriptions = Object.values(view(staticData).subscriptions ?? {}).map(read);
  return subscriptions.filter((subscription) => subscription !== undefined);
}

/** Only ever a sealed secret: nothing writes one in plain text. */
export function rememberSubscription(staticData: IDataObject, url: string, subscription: { readonly id: string; readonly sealedSecret: string }): void {
  view(staticData).subscriptions = { ...view(staticData).subscriptions, [url]: { id: subscription.id, sealedSecret: subscription.sealedSecret } };
}

export function forgetSubscription(staticData: IDataObject, url: string): void {
  const rest = { ...view(staticData).subscriptions };
  delete rest[url];
  view(staticData).subscriptions = rest;
}

/** Bounded so a busy trigger's static data stays small; retries arrive within minutes. */
const MAX_SEEN_KEYS = 1000;

/** Records `key`; true when it was already recorded (a repeated delivery). */
export function seenBefore(staticData: IDataObject, key: string): boolean {
  const seen = view(staticData).seen ?? [];
  if (seen.includes(key)) return true;
  view(staticData).seen = [...seen.slice(-(MAX_SEEN_KEYS - 1)), key];
  return false;
}
