import type { z } from 'zod/v4';
import type { SignatureScheme } from './signature';
import type { SubscriptionApi } from './subscription-api';

/** One event a vendor sends, as its doc describes it. */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  /** Short title for pickers and trigger labels, e.g. "Call ended". */
  readonly title: string;
  /** When it fires, in the doc's words where it has them. */
  readonly description: string;
  readonly category: string;
  /** The whole delivery body: the vendor's envelope with this event's data. */
  readonly schema: S;
  /** The doc's own example where it gives one; otherwise built from its field table. */
  readonly sample: z.input<S>;
}

/** Where the event type of a delivery is read. */
export interface EventTypeSource {
  /** Body fields tried in order; the signed body always wins over a header. */
  readonly bodyFields: readonly string[];
  /** A header that also names it; unsigned, so it only fills in when the body is silent. */
  readonly header?: string;
}

/** What identifies one event across repeated deliveries. */
export interface DedupePolicy {
  /** Body field holding the vendor's own event id; without one, a SHA-256 of the raw body. */
  readonly idField?: string;
}

export type Backoff =
  | { readonly kind: 'none' }
  | { readonly kind: 'exponential'; readonly initialDelayMs: number; readonly factor: number };

/** How the vendor delivers, as its doc states (and where it is silent, our stated guess). */
export interface DeliveryPolicy {
  /** The first attempt included. */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /** How long the vendor waits for an answer before it counts the attempt as failed. */
  readonly timeoutMs: number;
}

/** Vendors without an API: the user pastes our URL into the vendor's settings. */
export interface ManualRegistration {
  readonly kind: 'manual';
  /** Where in the vendor's UI, e.g. "Settings > Webhooks". */
  readonly settingsPath: string;
}

export interface ApiRegistration {
  readonly kind: 'api';
  readonly api: SubscriptionApi;
}

export type Registration = ManualRegistration | ApiRegistration;

export interface VendorDefinition<
  E extends Record<string, EventDefinition> = Record<string, EventDefinition>,
  R extends Registration = Registration,
> {
  /** Lower-case identifier used in code, URLs and CLI arguments. */
  readonly id: string;
  readonly name: string;
  /** Where automation marketplaces list the vendor (n8n's node categories). */
  readonly categories: readonly string[];
  readonly registration: R;
  readonly signature: SignatureScheme;
  readonly eventType: EventTypeSource;
  /** Envelope field holding when the event happened; a fresh sample event gets a new one. */
  readonly timestampField: string;
  readonly dedupe: DedupePolicy;
  readonly delivery: DeliveryPolicy;
  readonly events: E;
}

/** Keeps the literal event names of a vendor so its parsed events form a discriminated union. */
export function defineVendor<const E extends Record<string, EventDefinition>, R extends Registration>(
  vendor: VendorDefinition<E, R>,
): VendorDefinition<E, R> {
  return vendor;
}

export type EventName<V extends VendorDefinition> = Extract<keyof V['events'], string>;
