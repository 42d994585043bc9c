import type { IDataObject } from 'n8n-workflow';

/** What the node keeps of one subscription it created; the secret exists nowhere else. */
export interface OwnedSubscription {
  readonly id: string;
  readonly secret: string;
}

/**
 * The node's static data, keyed by webhook URL: the test URL and the production URL each get
 * their own subscription, so listening for a test event never replaces the live one.
 */
interface TriggerStaticData {
  subscriptions?: Record<string, OwnedSubscription>;
  dedupe?: RecentKeys;
  /** What an earlier version kept instead of `dedupe`: keys oldest first, copied whole on every delivery. */
  seen?: string[];
}

const view = (staticData: IDataObject) => staticData as TriggerStaticData;

export function ownedSubscription(staticData: IDataObject, url: string): OwnedSubscription | undefined {
  const subscriptions = view(staticData).subscriptions ?? {};
  return Object.hasOwn(subscriptions, url) ? subscriptions[url] : undefined;
}

export function rememberSubscription(staticData: IDataObject, url: string, subscription: OwnedSubscription): void {
  view(staticData).subscriptions = { ...view(staticData).subscriptions, [url]: subscription };
}

export function forgetSubscription(staticData: IDataObject, url: string): void {
  const rest = { ...view(staticData).subscriptions };
  delete rest[url];
  view(staticData).subscriptions = rest;
}

/** Every secret the node holds: a delivery may come from the test or the production subscription. */
export function heldSecrets(staticData: IDataObject): string[] {
  return Object.values(view(staticData).subscriptions ?? {}).map((subscription) => subscription.secret);
}

/** Bounded so a busy trigger's static data stays small; retries arrive within minutes. */
const MAX_SEEN_KEYS = 1000;

/**
 * Dedupe keys of recent deliveries as a ring, stored as `{ "keys": [...], "next": 17 }`: at most
 * MAX_SEEN_KEYS keys, and `next` is the slot the next key takes, the oldest once the ring is
 * full. A delivery writes one slot instead of copying the list; n8n marks static data changed
 * on a write into a nested array as well, so the slot is saved.
 */
interface RecentKeys {
  keys: string[];
  next: number;
}

function recentKeys(staticData: IDataObject): RecentKeys {
  const data = view(staticData);
  if (data.dedupe === undefined) {
    // Keys an earlier version left behind still count as seen, up to the ring's size.
    const keys = (data.seen ?? []).slice(-MAX_SEEN_KEYS);
    delete data.seen;
    data.dedupe = { keys, next: keys.length % MAX_SEEN_KEYS };
  }
  return data.dedupe;
}

/** Records `key`; true when it was already recorded (a repeated delivery). */
export function seenBefore(staticData: IDataObject, key: string): boolean {
  const recent = recentKeys(staticData);
  if (recent.keys.includes(key)) return true;
  recent.keys[recent.next] = key;
  recent.next = (recent.next + 1) % MAX_SEEN_KEYS;
  return false;
}
