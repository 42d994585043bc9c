import type { z } from 'zod/v4';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** A vendor API call described without a transport; each host sends it with its own client. */
export interface RequestDescription {
  readonly method: HttpMethod;
  /** Relative to the credential's base URL. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Readonly<Record<string, unknown>>;
}

/** A subscription as the vendor reports it, in one shape for every vendor. */
export interface RemoteSubscription {
  readonly id: string;
  readonly url: string;
  /** 'all' where the vendor sends every event type. */
  readonly events: readonly string[] | 'all';
  readonly active: boolean;
}

export interface CreatedSubscription {
  readonly subscription: RemoteSubscription;
  /** The signing secret, which the vendor shows only in this answer. */
  readonly secret: string;
}

export type EventSelection = readonly string[] | 'all';

/** A removal answered "not found": someone removed it first, which is the outcome we wanted. */
export const subscriptionGone = (status: number): boolean => status === 404 || status === 410;

export const succeeded = (status: number): boolean => status >= 200 && status < 300;

/** Whether a removal reached its goal: done now, or already gone. */
export const removalAccepted = (status: number): boolean => succeeded(status) || subscriptionGone(status);

/** The vendor's own words from an error answer, ready to append to ours; empty when it gave none. */
export function vendorSaid(body: unknown): string {
  const said = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  return said === undefined ? '' : ` It said: ${String(said)}`;
}

/** Which parts of an answer did not fit its schema, never the values (a create answer holds the secret). */
export function describeMisfits(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** A vendor's subscription API: request builders and the schemas of its answers. */
export interface SubscriptionApi {
  /** The vendor's documented API base; a credential may point elsewhere (the simulator). */
  readonly defaultBaseUrl: string;
  /** Where a user creates the API key. */
  readonly apiKeyLocation: string;
  /** Removal either deletes the subscription or only marks it inactive. */
  readonly removal: 'delete' | 'disable';
  /**
   * How `create` asks for every event: in the vendor's own terms, so event types it adds later
   * arrive too, or by naming today's catalog, so they do not (the UI has to say which).
   */
  readonly allEvents: 'vendor-wide' | 'catalog';
  readonly create: (url: string, events: EventSelection) => RequestDescription;
  readonly createdResponse: z.ZodType<CreatedSubscription>;
  readonly list: RequestDescription;
  readonly listResponse: z.ZodType<RemoteSubscription[]>;
  readonly remove: (id: string) => RequestDescription;
  /** Where the vendor keeps its recent events behind the API: what a trigger can recover after a gap. */
  readonly recentEvents?: RecentEventsPoll;
}

/** A poll of the vendor's recent events of one type, with the bounds a catch-up keeps to. */
export interface RecentEventsPoll {
  readonly request: (eventType: string, limit: number) => RequestDescription;
  /** The events as the vendor sends them in a delivery, in any order. */
  readonly response: z.ZodType<unknown[]>;
  /** The most events of one type one request asks for. */
  readonly maxPerType: number;
  /** How far back a catch-up recovers: an older event is not emitted, however it was missed. */
  readonly maxAgeMinutes: number;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A description's path and query joined to a base URL, with or without its trailing slash. */
export function requestUrl(baseUrl: string, request: RequestDescription): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** Joins a description to a base URL and bearer key; the result is what goes on the wire. */
export function toHttpRequest(baseUrl: string, apiKey: string, request: RequestDescription): HttpRequest {
  const url = requestUrl(baseUrl, request);
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  if (request.body === undefined) return { method: request.method, url, headers };
  headers['content-type'] = 'application/json';
  return { method: request.method, url, headers, body: JSON.stringify(request.body) };
}

/** Whether a remote subscription delivers exactly the chosen events to `url` and is live. */
export function subscriptionMatches(remote: RemoteSubscription, url: string, events: EventSelection): boolean {
  if (!remote.active || remote.url !== url) return false;
  if (events === 'all' || remote.events === 'all') return events === remote.events;
  const wanted = new Set(events);
  return remote.events.length === wanted.size && remote.events.every((event) => wanted.has(event));
}

/**
 * One spelling for "every event": vendors answer with no list, an empty list, or every name
 * spelled out, and a subscription must compare equal to the selection it was made from.
 */
export function normalizeEvents(events: readonly string[] | undefined, catalog: readonly string[]): EventSelection {
  if (events === undefined || events.length === 0) return 'all';
  const given = new Set(events);
  return given.size === catalog.length && catalog.every((name) => given.has(name)) ? 'all' : events;
}
