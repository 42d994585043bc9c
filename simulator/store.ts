import { randomBytes, randomUUID } from 'node:crypto';
import type { EventSelection, VendorId } from '../shared';

/** A webhook as the vendor keeps it, secret included. */
export interface Subscription {
  readonly id: string;
  readonly vendor: VendorId;
  readonly url: string;
  readonly events: EventSelection;
  readonly secret: string;
  active: boolean;
  readonly createdAt: string;
  updatedAt: string;
}

/** One attempt to deliver one event to one webhook, as the vendor's delivery history shows it. */
export interface DeliveryAttempt {
  /** Position in the log, counting from 1 and never reused (not even after a reset): a reader's cursor. */
  readonly seq: number;
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly vendor: VendorId;
  readonly event: string;
  readonly attempt: number;
  readonly at: string;
  readonly url: string;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody: string;
  readonly status: number | null;
  readonly responseBody: string | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** `retrying` while the vendor's policy still has attempts left for this delivery. */
  readonly outcome: 'delivered' | 'failed' | 'retrying';
}

/** Events fired per vendor, newest last, for Converc's recent-events poll. */
export interface FiredEvent {
  readonly vendor: VendorId;
  readonly event: string;
  readonly body: string;
}

const MAX_LOG = 10_000;
const MAX_FIRED = 1_000;

export class Store {
  readonly subscriptions = new Map<string, Subscription>();
  readonly attempts: DeliveryAttempt[] = [];
  readonly fired: FiredEvent[] = [];
  private recorded = 0;

  addSubscription(vendor: VendorId, url: string, events: EventSelection, secret?: string): Subscription {
    const now = new Date().toISOString();
    const subscription: Subscription = {
      id: randomUUID(),
      vendor,
      url,
      events,
      secret: secret ?? `whsec_${randomBytes(24).toString('hex')}`,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  subscriptionsOf(vendor: VendorId): Subscription[] {
    return [...this.subscriptions.values()].filter((subscription) => subscription.vendor === vendor);
  }

  find(vendor: VendorId, id: string): Subscription | undefined {
    const subscription = this.subscriptions.get(id);
    return subscription?.vendor === vendor ? subscription : undefined;
  }

  /** Active webhooks of the vendor that asked for this event. */
  matching(vendor: VendorId, event: string): Subscription[] {
    return this.subscriptionsOf(vendor).filter(
      (subscription) => subscription.active && (subscription.events === 'all' || subscription.events.includes(event)),
    );
  }

  record(attempt: Omit<DeliveryAttempt, 'seq'>): DeliveryAttempt {
    this.recorded += 1;
    const logged = { seq: this.recorded, ...attempt };
    this.attempts.push(logged);
    if (this.attempts.length > MAX_LOG) this.attempts.splice(0, this.attempts.length - MAX_LOG);
    return logged;
  }

  /** The newest attempt of a delivery: what it was sent, and where. */
  lastAttempt(deliveryId: string): DeliveryAttempt | undefined {
    return this.attempts.findLast((attempt) => attempt.deliveryId === deliveryId);
  }

  remember(fired: FiredEvent): void {
    this.fired.push(fired);
    if (this.fired.length > MAX_FIRED) this.fired.splice(0, this.fired.length - MAX_FIRED);
  }

  clear(): void {
    this.subscriptions.clear();
    this.attempts.length = 0;
    this.fired.length = 0;
  }
}
