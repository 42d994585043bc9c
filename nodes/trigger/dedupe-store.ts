import { UnexpectedError } from 'n8n-workflow';
/**
 * The dedupe keys one process holds in memory, for all its triggers together. A budget per
 * trigger makes memory grow with the number of triggers (1 000 triggers × 20 000 keys was about
 * 5.6 GB); one budget for the process keeps it fixed, and the oldest key goes first whichever
 * trigger recorded it, so a quiet trigger loses keys only to newer deliveries.
 *
 * Measured by `scripts/measure-dedupe-memory.ts` (keys made by the core's parser, on Node 20 and
 * 24 alike): 279 bytes of heap a Konver key (its event UUID), 244 a Konvox key (a SHA-256 digest
 * of the body). At 280 bytes a key the two budgets below cost at most 50 000 × 280 = 14 MB and
 * 20 000 × 280 = 5.6 MB: 19.6 MB per process, however many triggers it runs.
 */

/**
 * Konvox's last retry comes about 3.5 minutes after the first attempt; 50 000 keys cover that
 * window up to about 240 accepted deliveries a second, three times the fastest rate measured
 * for one n8n process.
 */
const VERIFIED_KEYS = 50_000;
/**
 * Deliveries accepted without verification (a Konvox credential that turns it off) may come
 * from anyone, so they get a budget of their own: a flood of them evicts only their own kind.
 * 20 000 keys cover the retry window up to about 95 such deliveries a second.
 */
const UNVERIFIED_KEYS = 20_000;

interface DedupeBudgets {
  readonly verified: number;
  readonly unverified: number;
}

/** A bounded set that forgets its oldest entry first. */
class Budget {
  private readonly members = new Set<string>();
  /**
   * Insertion order as a ring; once it is full, `next` points at the oldest entry. Evicting a
   * Set's first entry instead would walk over every entry deleted before it on each delivery.
   */
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new UnexpectedError(`A dedupe budget holds a whole number of keys, at least 1; got ${capacity}.`);
  }

  get size(): number {
    return this.members.size;
  }

  has(entry: string): boolean {
    return this.members.has(entry);
  }

  /** Adds an entry not yet held, evicting the oldest when full. */
  add(entry: string): void {
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.members.delete(oldest);
    this.order[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.members.add(entry);
  }
}

export class DedupeStore {
  private readonly verified: Budget;
  private readonly unverified: Budget;

  constructor(readonly budgets: DedupeBudgets = { verified: VERIFIED_KEYS, unverified: UNVERIFIED_KEYS }) {
    this.verified = new Budget(budgets.verified);
    this.unverified = new Budget(budgets.unverified);
  }

  /** Keys held now, both budgets together. */
  get size(): number {
    return this.verified.size + this.unverified.size;
  }

  /**
   * Records `key` for the trigger `scope`; true when that trigger already delivered it. An
   * unverified delivery repeats a verified one, but not the other way round: what anyone could
   * have sent must not suppress a signed delivery.
   */
  record(scope: string, key: string, verified: boolean): boolean {
    // Scopes are built from n8n's ids and never hold a line break, so the first one ends the scope.
    const entry = `${scope}\n${key}`;
    if (this.verified.has(entry)) return true;
    if (!verified && this.unverified.has(entry)) return true;
    (verified ? this.verified : this.unverified).add(entry);
    return false;
  }
}
