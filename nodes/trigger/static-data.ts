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
  /** Dedupe keys of recent deliveries, oldest first. */
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

/** Records `key`; true when it was already recorded (a repeated delivery). */
export function seenBefore(staticData: IDataObject, key: string): boolean {
  const seen = view(staticData).seen ?? [];
  if (seen.includes(key)) return true;
  view(staticData).seen = [...seen.slice(-(MAX_SEEN_KEYS - 1)), key];
  return false;
}
