/**
 * Convo — webhooks are managed through its REST API (`/api/v1/webhooks`) with a Bearer key;
 * there is no update: a change of URL or events is a delete and a create. The secret comes
 * back once, in `data.secret` of the create answer.
 * Envelope `{event, data, timestamp}`; `X-Convo-Signature` is a hex HMAC-SHA256 of the raw
 * body and `X-Convo-Event` repeats the event type. That header is not signed, so the signed
 * body's `event` decides and the header is only a fallback.
 * The doc shows the create answer only as far as `data.secret` and does not spell out the
 * list, delete and test paths: we assume `{data: {id, url, events, secret}}`, `{data: [...]}`,
 * `DELETE /api/v1/webhooks/{id}` and `POST /api/v1/webhooks/{id}/test`. It does not say
 * whether a create without events means all events, so "all" is sent as the full list.
 */
import { z } from 'zod/v4';
import { defineEvents } from '../define-events';
import { defineVendor } from '../vendor-definition';
import { normalizeEvents, type RemoteSubscription, type SubscriptionApi } from '../subscription-api';

const TIMESTAMP = '2026-03-19T14:30:00.000Z';
const CONVERSATION_ID = 'sess_a1b2c3';
const conversationId = z.string();

const events = defineEvents(
  {
    schema: (event, data) => z.looseObject({ event, data, timestamp: z.string() }),
    sample: (event) => ({ event, timestamp: TIMESTAMP }),
  },
  {
    'conversation.created': {
      title: 'Conversation created',
      description: 'A conversation was created.',
      category: 'Conversation',
      data: z.looseObject({ conversationId }),
      sample: { data: { conversationId: CONVERSATION_ID } },
    },
    'conversation.updated': {
      title: 'Conversation updated',
      description: 'A conversation was updated.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, title: z.string() }),
      sample: { data: { conversationId: CONVERSATION_ID, title: 'Q1 Planning Review' } },
    },
    'conversation.keypoints.ready': {
      title: 'Key points ready',
      description: 'The key points of a conversation are ready.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, title: z.string() }),
      sample: { data: { conversationId: CONVERSATION_ID, title: 'Q1 Planning Review' } },
    },
    'conversation.summary.ready': {
      title: 'Summary ready',
      description: 'The summary of a conversation is ready.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, title: z.string(), sectionCount: z.number().int() }),
      sample: { data: { conversationId: CONVERSATION_ID, title: 'Q1 Planning Review', sectionCount: 4 } },
    },
    'conversation.action_items.ready': {
      title: 'Action items ready',
      description: 'The action items of a conversation are ready.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, actionItemCount: z.number().int() }),
      sample: { data: { conversationId: CONVERSATION_ID, actionItemCount: 3 } },
    },
    'conversation.feedback.ready': {
      title: 'Feedback ready',
      description: 'The feedback on a conversation is ready.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, overallScore: z.number() }),
      sample: { data: { conversationId: CONVERSATION_ID, overallScore: 8.5 } },
    },
    'conversation.shared': {
      title: 'Conversation shared',
      description: 'A conversation was shared.',
      category: 'Conversation',
      data: z.looseObject({ conversationId, shareUrl: z.string() }),
      sample: { data: { conversationId: CONVERSATION_ID, shareUrl: 'https://www.itsconvo.com/share/sess_a1b2c3' } },
    },
    'conversation.deleted': {
      title: 'Conversation deleted',
      description: 'A conversation was deleted.',
      category: 'Conversation',
      data: z.looseObject({ conversationId }),
      sample: { data: { conversationId: CONVERSATION_ID } },
    },
    'transcript.ready': {
      title: 'Transcript ready',
      description: 'The transcript of a conversation is ready.',
      category: 'Transcript',
      data: z.looseObject({ conversationId, segmentCount: z.number().int() }),
      sample: { data: { conversationId: CONVERSATION_ID, segmentCount: 128 } },
    },
    'transcript.failed': {
      title: 'Transcript failed',
      description: 'The transcript of a conversation could not be made.',
      category: 'Transcript',
      data: z.looseObject({ conversationId, error: z.string() }),
      sample: { data: { conversationId: CONVERSATION_ID, error: 'Audio could not be decoded' } },
    },
    'webhook.test': {
      title: 'Test event',
      description: 'A test event sent from the webhook settings or the API.',
      category: 'Webhook',
      data: z.looseObject({ message: z.string() }),
      sample: { data: { message: 'This is a test webhook from Convo' } },
    },
  },
);

const EVENT_NAMES = Object.keys(events);

const webhook = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).optional(),
  // The doc names no status field; a listed webhook is live unless it says otherwise.
  active: z.boolean().optional(),
});

const toRemote = (hook: z.infer<typeof webhook>): RemoteSubscription => ({
  id: hook.id,
  url: hook.url,
  events: normalizeEvents(hook.events, EVENT_NAMES),
  active: hook.active ?? true,
});

const api: SubscriptionApi = {
  defaultBaseUrl: 'https://www.itsconvo.com',
  apiKeyLocation: 'Settings → API keys (Professional and Enterprise tiers)',
  removal: 'delete',
  allEvents: 'catalog',
  create: (url, selection) => ({
    method: 'POST',
    path: '/api/v1/webhooks',
    body: { url, events: selection === 'all' ? EVENT_NAMES : [...selection] },
  }),
  createdResponse: z
    .looseObject({ data: webhook.extend({ secret: z.string().min(1) }) })
    .transform(({ data }) => ({ subscription: toRemote(data), secret: data.secret })),
  list: { method: 'GET', path: '/api/v1/webhooks' },
  listResponse: z.looseObject({ data: z.array(webhook) }).transform(({ data }) => data.map(toRemote)),
  remove: (id) => ({ method: 'DELETE', path: `/api/v1/webhooks/${encodeURIComponent(id)}` }),
};

export const convo = defineVendor({
  id: 'convo',
  name: 'Convo',
  categories: ['Productivity', 'Communication'],
  registration: { kind: 'api', api },
  signature: { header: 'X-Convo-Signature', encoding: 'hex' },
  eventType: { bodyFields: ['event'], header: 'X-Convo-Event' },
  timestampField: 'timestamp',
  // No event id: a digest of the raw body.
  dedupe: {},
  // Fire-and-forget: one attempt with a 10-second timeout, never retried.
  delivery: {
    maxAttempts: 1,
    backoff: { kind: 'none' },
    timeoutMs: 10_000,
  },
  events,
});
