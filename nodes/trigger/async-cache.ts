import { rememberBounded } from './process-memory';

/**
 * What a process keeps between requests, bounded: one read per key at a time (deliveries or
 * activations that arrive together wait for the read already started), a value kept for a while,
 * and the oldest key dropped first once the cache is full. A failed read keeps nothing, so the
 * next caller tries again.
 */
export interface Cached<V> {
  readonly value: V;
  /** When the read began, in ms. */
  readonly at: number;
}

export class AsyncCache<V> {
  private readonly values = new Map<string, Cached<V>>();
  private readonly reads = new Map<string, Promise<Cached<V>>>();

  constructor(private readonly cap: number) {}

  /** The value read no longer than `maxAgeMs` ago, else the read under way, else a new read. */
  async get(key: string, maxAgeMs: number, read: () => Promise<V>, now = Date.now()): Promise<Cached<V>> {
    const kept = this.values.get(key);
    if (kept !== undefined && now - kept.at < maxAgeMs) return kept;
    const pending = this.reads.get(key);
    if (pending !== undefined) return pending;
    const started = read()
      .then((value) => this.keep(key, { value, at: now }))
      .finally(() => this.reads.delete(key));
    this.reads.set(key, started);
    return started;
  }

  clear(): void {
    this.values.clear();
  }

  private keep(key: string, cached: Cached<V>): Cached<V> {
    rememberBounded(this.values, key, cached, this.cap);
    return cached;
  }
}
