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

  record(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > MAX_LOG) this.attempts.splice(0, this.attempts.length - MAX_LOG);
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
