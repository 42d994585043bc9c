/**
 * Converc — webhooks are managed through its REST API with a Bearer API key.
 * Envelope as its recent-events samples show it: `{id, type, createdAt, organizationId, data}`.
 * The doc shows `data` only as `{}`, so it stays open: every field Converc adds is kept.
 * The doc says to "verify signatures using your webhook secret" without naming the header or
 * encoding: we assume `X-Converc-Signature` with a hex HMAC-SHA256 of the raw body, the
 * scheme its siblings document, and the user can override the header.
 */
import { z } from 'zod/v4';
import { defineEvents } from '../define-events';
import { defineVendor } from '../vendor-definition';
import { normalizeEvents, type RemoteSubscription, type SubscriptionApi } from '../subscription-api';

/** The doc gives no per-event fields, so every event shares the envelope and its samples differ only in type. */
const openData = z.looseObject({});

const events = defineEvents(
  {
    schema: (type, data) => z.looseObject({ id: z.string(), type, createdAt: z.string(), organizationId: z.string(), data }),
    sample: (type) => ({
      id: `evt_${type.replace(/\W/g, '_')}_0001`,
      type,
      createdAt: '2024-01-01T00:00:00Z',
      organizationId: 'org-uuid',
    }),
  },
  {
    'call.ended': {
      title: 'Call ended',
      description: 'A call ended.',
      category: 'Calls',
      data: openData,
      sample: { data: {} },
    },
    'call.recording_ready': {
      title: 'Call recording ready',
      description: 'The recording of a call is ready.',
      category: 'Calls',
      data: openData,
      sample: { data: {} },
    },
    'call.transcript_ready': {
      title: 'Call transcript ready',
      description: 'The transcript of a call is ready.',
      category: 'Calls',
      data: openData,
      sample: { data: {} },
    },
    'webhook.test': {
      title: 'Test event',
      description: 'A test event sent with the API’s test call.',
      category: 'Webhooks',
      data: openData,
      sample: { data: {} },
    },
  },
);

const webhook = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).optional(),
  isActive: z.boolean(),
});

const toRemote = (hook: z.infer<typeof webhook>): RemoteSubscription => ({
  id: hook.id,
  url: hook.url,
  events: normalizeEvents(hook.events, Object.keys(events)),
  active: hook.isActive,
});

const api: SubscriptionApi = {
  defaultBaseUrl: 'https://api.converc.com',
  apiKeyLocation: 'Settings → Integrations → API Keys',
  removal: 'disable',
  allEvents: 'vendor-wide',
  create: (url, events) => ({
    method: 'POST',
    path: '/integrations/webhooks',
    // Omitting `events` is Converc's documented way to ask for every event type.
    body: events === 'all' ? { url } : { url, events: [...events] },
  }),
  createdResponse: z
    .looseObject({ webhook, secret: z.string().min(1) })
    .transform((answer) => ({ subscription: toRemote(answer.webhook), secret: answer.secret })),
  list: { method: 'GET', path: '/integrations/webhooks' },
  listResponse: z.looseObject({ webhooks: z.array(webhook) }).transform((answer) => answer.webhooks.map(toRemote)),
  remove: (id) => ({ method: 'DELETE', path: `/integrations/webhooks/${encodeURIComponent(id)}` }),
  recentEvents: {
    request: (eventType, limit) => ({
      method: 'GET',
      path: '/webhooks/events',
      query: { eventType, display: String(limit) },
    }),
    response: z.array(z.looseObject({ id: z.string(), type: z.string() })),
    // The doc states no limit for `display` (its example asks for 4); the simulator takes up to 100.
    maxPerType: 100,
    // A day covers a restart, an upgrade or a weekend-free outage; older events are left to Converc's own history.
    maxAgeMinutes: 24 * 60,
  },
};

export const converc = defineVendor({
  id: 'converc',
  name: 'Converc',
  categories: ['Communication', 'Sales'],
  registration: { kind: 'api', api },
  signature: {
    header: 'X-Converc-Signature',
    encoding: 'hex',
    headerAssumed: true,
    assumption:
      'The doc names neither header nor encoding; X-Converc-Signature with a hex HMAC-SHA256 is assumed (base64 also accepted).',
  },
  eventType: { bodyFields: ['type'] },
  timestampField: 'createdAt',
  // Every Converc event carries an event id.
  dedupe: { idField: 'id' },
  // The doc states no retries or timeout.
  delivery: {
    maxAttempts: 1,
    backoff: { kind: 'none' },
    timeoutMs: 10_000,
  },
  events,
});
