import { UnexpectedError, type IWebhookFunctions } from 'n8n-workflow';
import { seenBefore } from './static-data';

/** For the whole process, so memory stays fixed (19.6 MB) however many triggers run; sizes: docs/design/trigger.md. */
const BUDGETS = { verified: 50_000, unverified: 20_000 };

/** A bounded set that forgets its oldest entry first, through a ring: evicting a Set's first entry walks every deleted one. */
class Budget {
  private readonly members = new Set<string>();
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

/** The dedupe keys one process holds; unverified deliveries (a Konvox credential without verification) evict only their own kind. */
export class DedupeStore {
  private readonly verified: Budget;
  private readonly unverified: Budget;

  constructor(readonly budgets: typeof BUDGETS = BUDGETS) {
    this.verified = new Budget(budgets.verified);
    this.unverified = new Budget(budgets.unverified);
  }

  get size(): number {
    return this.verified.size + this.unverified.size;
  }

  /** Records `key` for the trigger `scope`; true when it repeats. What anyone could have sent never suppresses a signed delivery. */
  record(scope: string, key: string, verified: boolean): boolean {
    // Scopes are n8n's ids and hold no line break.
    const entry = `${scope}\n${key}`;
    if (this.verified.has(entry) || (!verified && this.unverified.has(entry))) return true;
    (verified ? this.verified : this.unverified).add(entry);
    return false;
  }
}

/** In memory, checking and recording is atomic; static data, saved whole per request, loses keys of concurrent deliveries. */
const recent = new DedupeStore();

/** Records a delivery's dedupe key; true when this trigger already delivered it. */
export function isRepeatedDelivery(context: Pick<IWebhookFunctions, 'getWorkflow' | 'getNode' | 'getMode' | 'getWorkflowStaticData'>, key: string, verified: boolean): boolean {
  // Test and production subscriptions receive the same events: a test delivery must not mark the live one.
  const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${context.getMode()}`;
  if (recent.record(scope, key, verified)) return true;
  // n8n saves static data after production requests only: the keys there are production's.
  return context.getMode() !== 'manual' && seenBefore(context.getWorkflowStaticData('node'), key);
}
