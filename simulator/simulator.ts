import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshSample, isVendorId, VENDORS, type EventSelection, type VendorId } from '../shared';
import { Deliverer, NO_FAULTS, type DeliveryFaults, type DispatchRun, type OutgoingEvent } from './deliverer';
import { BadRequest, error, isRecord, type Reply } from './http-kit';
import { Store, type DeliveryAttempt, type Subscription } from './store';

/** An injected failure of a vendor API: an error status, a delay, or both. */
export interface ApiFault {
  readonly status?: 401 | 429 | 500 | 503;
  readonly delayMs?: number;
  readonly retryAfterSeconds?: number;
  /** How many API requests it hits before it wears off. */
  remaining: number;
}

/** The one API key each simulated vendor accepts. */
export const simulatorApiKey = (vendor: string) => `sim-${vendor}-key`;

export interface SimulatorOptions {
  /**
   * Answers exactly what each vendor's doc shows, odd shapes included, and where a doc is
   * silent, the least obliging reading; see `strict` in vendor-apis.ts for what changes.
   */
  readonly strict?: boolean;
  readonly timeScale?: number;
  readonly deliveryTimeoutMs?: number;
  readonly onAttempt?: (attempt: DeliveryAttempt) => void;
}

export interface FireRequest {
  readonly vendor: VendorId;
  /** Events to send, in order; each becomes a fresh copy of its sample unless a body is given. */
  readonly events: readonly { readonly event: string; readonly payload?: unknown; readonly rawBody?: string }[];
  /** Only this webhook, instead of every webhook subscribed to the event. */
  readonly webhookId?: string;
}

/** The state of all five simulated vendors, shared by their APIs and the control API. */
export class Simulator {
  readonly store = new Store();
  readonly deliverer: Deliverer;
  readonly strict: boolean;
  /** Requests each vendor's API answered, for measuring what a client costs the vendor. */
  readonly apiCalls = new Map<VendorId, number>();
  private readonly apiFaults = new Map<VendorId, ApiFault[]>();
  private readonly deliveryFaults = new Map<VendorId, DeliveryFaults>();

  constructor(options: SimulatorOptions = {}) {
    this.strict = options.strict ?? false;
    this.deliverer = new Deliverer(this.store, {
      timeScale: options.timeScale ?? 1,
      timeoutMs: options.deliveryTimeoutMs,
      onAttempt: options.onAttempt,
    });
  }

  reset(): void {
    this.store.clear();
    this.apiCalls.clear();
    this.apiFaults.clear();
    this.deliveryFaults.clear();
  }

  addApiFault(vendor: VendorId, fault: ApiFault): void {
    this.apiFaults.set(vendor, [...(this.apiFaults.get(vendor) ?? []), fault]);
  }

  setDeliveryFaults(vendor: VendorId, faults: Partial<DeliveryFaults>): void {
    const given = Object.fromEntries(Object.entries(faults).filter(([, value]) => value !== undefined));
    this.deliveryFaults.set(vendor, { ...NO_FAULTS, ...this.deliveryFaults.get(vendor), ...given });
  }

  /** Runs the next injected fault of the vendor's API, if any: a reply ends the request there. */
  async applyApiFault(vendor: VendorId): Promise<Reply | undefined> {
    const queue = this.apiFaults.get(vendor) ?? [];
    const fault = queue[0];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queue.shift();
    if (fault.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault.status === undefined) return undefined;
    const messages = { 401: 'Invalid API key.', 429: 'Too many requests.', 500: 'Internal server error.', 503: 'Service unavailable.' };
    const headers = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds ?? 1) } : undefined;
    return error(fault.status, messages[fault.status], headers);
  }

  authorized(vendor: VendorId, authorization: string | undefined): boolean {
    return authorization === `Bearer ${simulatorApiKey(vendor)}`;
  }

  /** Checks a webhook URL and event list as a vendor API would; throws BadRequest with the reason. */
  validateSubscription(vendor: VendorId, url: unknown, events: unknown, eventsRequired: boolean): { url: string; events: EventSelection } {
    if (typeof url !== 'string' || url === '') throw new BadRequest('"url" is required.');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BadRequest(`"url" is not a valid URL: ${url}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new BadRequest('"url" must use http or https.');
    if (events === undefined && !eventsRequired) return { url, events: 'all' };
    if (!Array.isArray(events) || events.length === 0 || !events.every((event) => typeof event === 'string')) {
      throw new BadRequest('"events" must be a non-empty list of event names.');
    }
    const unknown = events.filter((event) => !Object.hasOwn(VENDORS[vendor].events, event));
    if (unknown.length > 0) {
      throw new BadRequest(`Unknown event ${unknown.map((event) => `"${event}"`).join(', ')}. Known events: ${Object.keys(VENDORS[vendor].events).join(', ')}.`);
    }
    return { url, events: [...new Set(events as string[])] };
  }

  /** Event names a webhook receives, spelled out as vendors list them. */
  eventList(subscription: Subscription): string[] {
    return subscription.events === 'all' ? Object.keys(VENDORS[subscription.vendor].events) : [...subscription.events];
  }

  outgoing(vendor: VendorId, item: FireRequest['events'][number]): OutgoingEvent {
    if (item.rawBody !== undefined) return { event: item.event, body: item.rawBody };
    if (item.payload !== undefined) return { event: item.event, body: JSON.stringify(item.payload) };
    const sample = freshSample(VENDORS[vendor], item.event, { id: randomUUID(), at: new Date() });
    if (sample === undefined) throw new BadRequest(`Unknown ${vendor} event "${item.event}"; give a payload to send it anyway.`);
    return { event: item.event, body: JSON.stringify(sample) };
  }

  /** Sends events to the matching webhooks, as the vendor would when they happen. */
  fire(request: FireRequest): DispatchRun {
    const outgoing = request.events.map((item) => this.outgoing(request.vendor, item));
    for (const item of outgoing) this.store.remember({ vendor: request.vendor, event: item.event, body: item.body });
    const targets = this.store.subscriptionsOf(request.vendor).filter((subscription) =>
      request.webhookId === undefined ? true : subscription.id === request.webhookId,
    );
    const runs = targets.map((subscription) => {
      const wanted = outgoing.filter((item) => this.store.matching(request.vendor, item.event).includes(subscription));
      return this.deliverer.dispatch(subscription, wanted, this.faultsOf(request.vendor));
    });
    return { dispatched: runs.flatMap((run) => run.dispatched), done: Promise.all(runs.map((run) => run.done)) };
  }

  /**
   * Sends a logged delivery's body again to its webhook, as a new delivery signed with the
   * webhook's current secret. Undefined when the delivery or its webhook is gone.
   */
  resend(deliveryId: string): DispatchRun | undefined {
    const logged = this.store.lastAttempt(deliveryId);
    const subscription = logged && this.store.subscriptions.get(logged.webhookId);
    if (logged === undefined || subscription === undefined) return undefined;
    return this.deliverer.dispatch(subscription, [{ event: logged.event, body: logged.requestBody }], this.faultsOf(logged.vendor));
  }

  private faultsOf(vendor: VendorId): DeliveryFaults {
    return this.deliveryFaults.get(vendor) ?? NO_FAULTS;
  }

  close(): Promise<void> {
    return this.deliverer.close();
  }
}

export function parseFireRequest(body: unknown): FireRequest {
  if (!isRecord(body)) throw new BadRequest('Expected a JSON object.');
  const { vendor, event, events, payload, rawBody, webhookId } = body;
  if (typeof vendor !== 'string' || !isVendorId(vendor)) throw new BadRequest(`"vendor" must be one of ${Object.keys(VENDORS).join(', ')}.`);
  const list = events ?? [{ event, payload, rawBody }];
  if (!Array.isArray(list) || list.length === 0) throw new BadRequest('"events" must be a non-empty list.');
  const items = list.map((item: unknown) => {
    if (!isRecord(item) || typeof item.event !== 'string') throw new BadRequest('Every event needs an "event" name.');
    if (item.rawBody !== undefined && typeof item.rawBody !== 'string') throw new BadRequest('"rawBody" must be a string.');
    return { event: item.event, payload: item.payload, rawBody: item.rawBody as string | undefined };
  });
  if (webhookId !== undefined && typeof webhookId !== 'string') throw new BadRequest('"webhookId" must be a string.');
  return { vendor, events: items, webhookId };
}
