import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * What the node knows of one subscription it created. The vendor shows the signing secret only
 * in its answer to the create call, so static data holds its only lasting copy, sealed (see
 * sealed-secret.ts); the process that created it keeps it in plain text while n8n saves
 * (known-subscriptions.ts).
 */
export type OwnedSubscription = ({ readonly id: string; readonly sealedSecret: string } | { readonly id: string; readonly plainSecret: string }) & {
  /**
   * When the trigger created it, in ms: of two records for one URL the later one is current.
   * A record without one (an imported workflow) counts as older than any that has one.
   */
  readonly createdAt?: number;
};

/** As stored, from the database or an imported workflow; `createdAt` an ISO timestamp. */
interface StoredSubscription {
  id?: unknown;
  sealedSecret?: unknown;
  createdAt?: unknown;
}

/**
 * The node's static data, keyed by webhook URL: the test URL and the production URL each get
 * their own subscription, so listening for a test event never replaces the live one.
 */
interface TriggerStaticData {
  subscriptions?: Record<string, StoredSubscription>;
  dedupe?: RecentKeys;
  live?: StoredLivePeriod;
}

/** ISO timestamps, as stored; `atStart` is true when n8n's own start made the latest activation. */
interface StoredLivePeriod {
  since?: unknown;
  activatedAt?: unknown;
  atStart?: unknown;
  lastSeen?: unknown;
}

const view = (staticData: IDataObject) => staticData as TriggerStaticData;

/** Static data comes from the database and from imported workflows: an entry of another shape is no subscription. */
function read(stored: StoredSubscription | undefined): OwnedSubscription | undefined {
  if (typeof stored !== 'object' || stored === null || typeof stored.id !== 'string' || typeof stored.sealedSecret !== 'string') return undefined;
  const createdAt = typeof stored.createdAt === 'string' ? Date.parse(stored.createdAt) : Number.NaN;
  return Number.isNaN(createdAt) ? { id: stored.id, sealedSecret: stored.sealedSecret } : { id: stored.id, sealedSecret: stored.sealedSecret, createdAt };
}

export function ownedSubscription(staticData: IDataObject, url: string): OwnedSubscription | undefined {
  const subscriptions = view(staticData).subscriptions ?? {};
  return Object.hasOwn(subscriptions, url) ? read(subscriptions[url]) : undefined;
}

/** Every subscription the node holds, by webhook URL: a delivery may come from the test or the production one. */
export function ownedSubscriptionsByUrl(staticData: IDataObject): [string, OwnedSubscription][] {
  const subscriptions = Object.entries(view(staticData).subscriptions ?? {}).map(([url, stored]) => [url, read(stored)] as const);
  return subscriptions.filter((entry): entry is [string, OwnedSubscription] => entry[1] !== undefined);
}

/** Only ever a sealed secret: nothing writes one in plain text. */
export function rememberSubscription(staticData: IDataObject, url: string, subscription: { readonly id: string; readonly sealedSecret: string; readonly createdAt?: number }): void {
  const stamp = subscription.createdAt === undefined ? {} : { createdAt: new Date(subscription.createdAt).toISOString() };
  view(staticData).subscriptions = { ...view(staticData).subscriptions, [url]: { id: subscription.id, sealedSecret: subscription.sealedSecret, ...stamp } };
}

export function forgetSubscription(staticData: IDataObject, url: string): void {
  const rest = { ...view(staticData).subscriptions };
  delete rest[url];
  view(staticData).subscriptions = rest;
}

/** Bounded so a busy trigger's static data stays small; retries arrive within minutes. */
const MAX_SEEN_KEYS = 1000;

/**
 * Dedupe keys of recent deliveries as a ring, stored as `{ "keys": [...], "next": 17 }`: at most
 * MAX_SEEN_KEYS keys, and `next` is the slot the next key takes, the oldest once the ring is
 * full. A delivery writes one slot instead of copying the list; n8n marks static data changed on
 * a write into a nested array as well, so the slot is saved.
 */
interface RecentKeys {
  keys: string[];
  next: number;
}

/**
 * n8n writes a node's whole static data to its database after every delivery that records a
 * key, so the ring keeps a 128-bit digest of each key (22 characters where a key takes up to
 * 80): that write is most of what a delivery costs beyond n8n's own work.
 */
const stored = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

/** Static data may come from an imported workflow: a ring of another shape is started afresh rather than trusted. */
function isRing(value: unknown): value is RecentKeys {
  if (typeof value !== 'object' || value === null) return false;
  const { keys, next } = value as Partial<RecentKeys>;
  return Array.isArray(keys) && keys.length <= MAX_SEEN_KEYS && Number.isInteger(next) && (next as number) >= 0 && (next as number) < MAX_SEEN_KEYS;
}

function recentKeys(staticData: IDataObject): RecentKeys {
  const data = view(staticData);
  if (!isRing(data.dedupe)) data.dedupe = { keys: [], next: 0 };
  return data.dedupe;
}

/** Records `key`; true when it was already recorded (a repeated delivery). */
export function seenBefore(staticData: IDataObject, key: string): boolean {
  const recent = recentKeys(staticData);
  const digest = stored(key);
  if (recent.keys.includes(digest)) return true;
  recent.keys[recent.next] = digest;
  recent.next = (recent.next + 1) % MAX_SEEN_KEYS;
  return false;
}

/**
 * Since when the trigger has been meant to be live without a break (its latest fresh publish:
 * a restart or a republish does not end it, an unpublish does), its latest activation, and the
 * newest event time it has taken (where a gap can have begun), all in ms.
 */
export interface LivePeriod {
  readonly since: number;
  readonly activatedAt: number;
  /**
   * Whether n8n made the latest activation as it started (or, in multi-main, as an instance took
   * over as leader) rather than on a publish: then every process of it may have been down too.
   */
  readonly atStart: boolean;
  readonly lastSeen?: number;
}

const timeOf = (stored: unknown): number => (typeof stored === 'string' ? Date.parse(stored) : Number.NaN);

export function livePeriod(staticData: IDataObject): LivePeriod | undefined {
  const { since, activatedAt, atStart, lastSeen } = view(staticData).live ?? {};
  const period = { since: timeOf(since), activatedAt: timeOf(activatedAt), atStart: atStart === true };
  if (Number.isNaN(period.since) || Number.isNaN(period.activatedAt)) return undefined;
  const seen = timeOf(lastSeen);
  return Number.isNaN(seen) ? period : { ...period, lastSeen: seen };
}

/** How an activation came about: a fresh publish starts a live period; n8n's start and any other activation continue it. */
export type ActivationKind = 'fresh publish' | 'n8n start' | 'other';

/**
 * Records an activation at `now`. A fresh publish starts a new live period; any other activation
 * continues the one recorded, or starts one where none is (static data from before this was kept).
 */
export function recordActivation(staticData: IDataObject, kind: ActivationKind, now: Date): void {
  const at = now.toISOString();
  const freshPublish = kind === 'fresh publish';
  const live = view(staticData).live;
  const since = freshPublish ? undefined : livePeriod(staticData)?.since;
  view(staticData).live = { ...(freshPublish ? {} : live), since: since === undefined ? at : new Date(since).toISOString(), activatedAt: at, atStart: kind === 'n8n start' };
}

/** Records that the trigger took an event of time `at`; only a newer one moves the mark. */
export function recordSeen(staticData: IDataObject, at: number): void {
  const live = view(staticData).live;
  if (live === undefined || Number.isNaN(at) || at <= (livePeriod(staticData)?.lastSeen ?? Number.NEGATIVE_INFINITY)) return;
  live.lastSeen = new Date(at).toISOString();
}
