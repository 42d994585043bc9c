import type { IWebhookFunctions } from 'n8n-workflow';

/** One trigger node of one workflow: what a process keeps about a trigger is keyed by it. */
export const triggerScope = (context: Pick<IWebhookFunctions, 'getWorkflow' | 'getNode'>) => `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;

/** Sets `key` as the newest entry, dropping the oldest once `map` holds `max`: memory stays bounded however many triggers run. */
export function rememberBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

export interface Cached<V> {
  readonly value: V;
  /** When the read began, in ms. */
  readonly at: number;
}

/** A bounded cache of async reads: one read per key at a time, and a failed read keeps nothing. */
export class AsyncCache<V> {
  private readonly values = new Map<string, Cached<V>>();
  private readonly reads = new Map<string, Promise<Cached<V>>>();

  constructor(private readonly cap: number) {}

  /** The value read less than `maxAgeMs(value)` ago, else the read under way, else a new read; a value whose age limit is 0 is not cached. */
  async get(key: string, maxAgeMs: (value: V) => number, read: () => Promise<V>, now = Date.now()): Promise<Cached<V>> {
    const cached = this.values.get(key);
    if (cached !== undefined && now - cached.at < maxAgeMs(cached.value)) return cached;
    const pending = this.reads.get(key);
    if (pending !== undefined) return pending;
    const started = read()
      .then((value) => {
        const fresh = { value, at: now };
        if (maxAgeMs(value) > 0) rememberBounded(this.values, key, fresh, this.cap);
        else this.values.delete(key);
        return fresh;
      })
      .finally(() => this.reads.delete(key));
    this.reads.set(key, started);
    return started;
  }

  clear(): void {
    this.values.clear();
  }
}
