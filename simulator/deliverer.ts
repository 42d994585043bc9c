import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { deliveryHeaders, succeeded, VENDORS, type Backoff } from '../shared';
import type { DeliveryAttempt, Store, Subscription } from './store';

export interface DeliveryFaults {
  /** Send every delivery twice, as a vendor's at-least-once queue may. */
  duplicate: boolean;
  /** Send a batch of fired events in reverse order. */
  reorder: boolean;
  /**
   * Treat the receiver's answer to the first N attempts of each delivery as lost, as when a
   * response times out after the receiver already acted: the policy retries what arrived.
   */
  loseAnswers: number;
}

export const NO_FAULTS: DeliveryFaults = { duplicate: false, reorder: false, loseAnswers: 0 };

export interface DelivererOptions {
  /** Multiplies the vendors' retry delays: 0.001 turns Konvox's 30 s into 30 ms for tests. */
  readonly timeScale: number;
  /** Replaces the vendors' answer timeout (10 s), for tests of slow receivers. */
  readonly timeoutMs?: number;
  readonly onAttempt?: (attempt: DeliveryAttempt) => void;
}

export interface OutgoingEvent {
  readonly event: string;
  readonly body: string;
}

export interface Dispatch {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly event: string;
}

/** What a fire or resend sent off, and a promise that settles when every attempt, retries included, ended. */
export interface DispatchRun {
  readonly dispatched: Dispatch[];
  readonly done: Promise<unknown>;
}

const MAX_STORED_RESPONSE = 64 * 1024;

function retryDelay(backoff: Backoff, attempt: number): number {
  return backoff.kind === 'exponential' ? backoff.initialDelayMs * backoff.factor ** (attempt - 1) : 0;
}

/** Sends signed deliveries with each vendor's retry policy and records every attempt. */
export class Deliverer {
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly options: DelivererOptions,
  ) {
    // Every attempt under way listens for the close: a vendor sending continuously has many at once.
    setMaxListeners(0, this.closing.signal);
  }

  /**
   * Delivers each event to one webhook, in order (reversed under the reorder fault).
   */
  dispatch(subscription: Subscription, events: readonly OutgoingEvent[], faults: DeliveryFaults): DispatchRun {
    const ordered = faults.reorder ? [...events].reverse() : events;
    const copies = faults.duplicate ? 2 : 1;
    const planned = ordered.flatMap((item) =>
      Array.from({ length: copies }, () => ({ ...item, deliveryId: randomUUID() })),
    );
    const run = (async () => {
      for (const item of planned) await this.deliver(subscription, item.deliveryId, item, faults);
    })();
    this.track(run);
    const dispatched: Dispatch[] = planned.map(({ deliveryId, event }) => ({ deliveryId, webhookId: subscription.id, event }));
    return { dispatched, done: run };
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(subscription: Subscription, deliveryId: string, item: OutgoingEvent, faults: DeliveryFaults): Promise<void> {
    const vendor = VENDORS[subscription.vendor];
    const { maxAttempts, backoff } = vendor.delivery;
    const body = Buffer.from(item.body);
    const headers = deliveryHeaders(vendor, body, subscription.secret, item.event);
    for (let attempt = 1; attempt <= maxAttempts && !this.closing.signal.aborted; attempt += 1) {
      const answered = await this.attempt(subscription.url, headers, body, this.options.timeoutMs ?? vendor.delivery.timeoutMs);
      const result = attempt <= faults.loseAnswers ? { ...answered, status: null, error: 'answer lost (injected fault)' } : answered;
      const delivered = result.status !== null && succeeded(result.status);
      const outcome = delivered ? 'delivered' : attempt < maxAttempts ? 'retrying' : 'failed';
      const record = this.store.record({
        deliveryId,
        webhookId: subscription.id,
        vendor: subscription.vendor,
        event: item.event,
        attempt,
        url: subscription.url,
        requestHeaders: headers,
        requestBody: item.body,
        ...result,
        outcome,
      });
      this.options.onAttempt?.(record);
      if (outcome !== 'retrying') return;
      await sleep(retryDelay(backoff, attempt) * this.options.timeScale, undefined, { signal: this.closing.signal }).catch(
        () => undefined,
      );
    }
  }

  private async attempt(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number) {
    const at = new Date().toISOString();
    const started = performance.now();
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.closing.signal]);
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      const text = await response.text();
      return { at, status: response.status, responseBody: text.slice(0, MAX_STORED_RESPONSE), error: null, durationMs: elapsed() };
    } catch (error) {
      const timedOut = typeof error === 'object' && error !== null && 'name' in error && error.name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : String(error);
      return { at, status: null, responseBody: null, error: reason, durationMs: elapsed() };
    }
  }

  /** Waits for every delivery under way, retries included. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops pending retries and aborts requests under way. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.settle();
  }
}
