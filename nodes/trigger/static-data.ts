import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** The node's static data; every read checks the shape, as imported workflows hold anything (docs/design/trigger.md). */
interface Stored {
  /** By webhook URL: the test URL and the production URL each have their own subscription. */
  subscriptions?: Record<string, { id?: unknown; sealedSecret?: unknown; createdAt?: unknown }>;
  dedupe?: RecentKeys;
  live?: { since?: unknown; activatedAt?: unknown; atStart?: unknown; lastSeen?: unknown };
}

const stored = (staticData: IDataObject) => staticData as Stored;
const timeOf = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);
const isoOf = (ms: number) => new Date(ms).toISOString();

/** A subscription the trigger created. The vendor shows its secret once: static data keeps it sealed (sealed-secret.ts). */
export interface HeldSubscription {
  readonly id: string;
  readonly sealedSecret: string;
  /** In ms: of two records for one URL the later is current; one without (imported) is the oldest. */
  readonly createdAt?: number;
  /** The plain secret, only in the memory of the process that created it, never stored. */
  readonly secret?: string;
}

export function heldSubscriptions(staticData: IDataObject): Map<string, HeldSubscription> {
  const held = new Map<string, HeldSubscription>();
  for (const [url, entry] of Object.entries(stored(staticData).subscriptions ?? {})) {
    if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string' || typeof entry.sealedSecret !== 'string') continue;
    const createdAt = timeOf(entry.createdAt);
    held.set(url, { id: entry.id, sealedSecret: entry.sealedSecret, ...(Number.isNaN(createdAt) ? {} : { createdAt }) });
  }
  return held;
}

/** Stores the record with its sealed secret only. */
export function holdSubscription(staticData: IDataObject, url: string, { id, sealedSecret, createdAt }: HeldSubscription): void {
  const record = { id, sealedSecret, ...(createdAt === undefined ? {} : { createdAt: isoOf(createdAt) }) };
  stored(staticData).subscriptions = { ...stored(staticData).subscriptions, [url]: record };
}

export function dropSubscription(staticData: IDataObject, url: string): void {
  const rest = { ...stored(staticData).subscriptions };
  delete rest[url];
  stored(staticData).subscriptions = rest;
}

/** Recent dedupe keys as a ring: `next` is the slot the next key takes, so a delivery writes one slot. */
interface RecentKeys {
  keys: string[];
  next: number;
}

const MAX_SEEN_KEYS = 1000;
/** n8n writes static data whole after each delivery: a 128-bit digest keeps each key to 22 characters. */
const digestOf = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

function isRing(value: unknown): value is RecentKeys {
  const { keys, next } = (value ?? {}) as Partial<RecentKeys>;
  return Array.isArray(keys) && keys.length <= MAX_SEEN_KEYS && Number.isInteger(next) && (next as number) >= 0 && (next as number) < MAX_SEEN_KEYS;
}

/** Records `key`; true when it was already recorded (a repeated delivery). */
export function seenBefore(staticData: IDataObject, key: string): boolean {
  const data = stored(staticData);
  if (!isRing(data.dedupe)) data.dedupe = { keys: [], next: 0 };
  const ring = data.dedupe;
  const digest = digestOf(key);
  if (ring.keys.includes(digest)) return true;
  ring.keys[ring.next] = digest;
  ring.next = (ring.next + 1) % MAX_SEEN_KEYS;
  return false;
}

/**
 * In ms: since when the trigger has been live without a break (a restart or a republish does not
 * end it, an unpublish does), its latest activation, and the newest event time it has taken.
 */
export interface LivePeriod {
  readonly since: number;
  readonly activatedAt: number;
  /** n8n made the latest activation as it started (or took over as leader): every process may have been down. */
  readonly atStart: boolean;
  readonly lastSeen?: number;
}

export function livePeriod(staticData: IDataObject): LivePeriod | undefined {
  const { since, activatedAt, atStart, lastSeen } = stored(staticData).live ?? {};
  const period = { since: timeOf(since), activatedAt: timeOf(activatedAt), atStart: atStart === true };
  if (Number.isNaN(period.since) || Number.isNaN(period.activatedAt)) return undefined;
  const seen = timeOf(lastSeen);
  return Number.isNaN(seen) ? period : { ...period, lastSeen: seen };
}

export type ActivationKind = 'fresh publish' | 'n8n start' | 'other';

/** A fresh publish starts a live period; any other activation continues the one recorded. */
export function recordActivation(staticData: IDataObject, kind: ActivationKind, now: Date): void {
  const fresh = kind === 'fresh publish';
  const since = (fresh ? undefined : livePeriod(staticData)?.since) ?? now.getTime();
  stored(staticData).live = { ...(fresh ? {} : stored(staticData).live), since: isoOf(since), activatedAt: now.toISOString(), atStart: kind === 'n8n start' };
}

/** Records that the trigger took an event made at `at`; only a newer one moves the mark. */
export function recordSeen(staticData: IDataObject, at: number): void {
  const live = stored(staticData).live;
  if (live === undefined || Number.isNaN(at) || at <= (livePeriod(staticData)?.lastSeen ?? Number.NEGATIVE_INFINITY)) return;
  live.lastSeen = isoOf(at);
}
