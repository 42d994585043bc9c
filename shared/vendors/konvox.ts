/**
 * Konvox — webhooks are registered by hand in Settings > Webhooks ("via the API" is mentioned
 * but not documented). Envelope `{event, timestamp, companyId, data}`; the samples join the
 * doc's per-event examples to the envelope of its "Request format" section.
 *
 * The doc does not describe a signature at all. We assume `X-Konvox-Signature` with a hex
 * HMAC-SHA256 of the raw body, the scheme of its siblings; the user can name another header,
 * or choose, visibly, to run without verification.
 *
 * Delivery: non-2xx answers and timeouts (10 s) are retried "up to 3 times with exponential
 * backoff"; the doc also says the delivery fails "after 3 failed attempts". We take the
 * larger reading (first attempt plus 3 retries) and a 30 s first delay, since the schedule
 * itself is missing from the doc. Retries resend the same event, so the dedupe key is a digest
 * of the raw body: the doc's suggestion of enrollmentId or contactId alone would also swallow
 * distinct events about one enrollment (created, then completed).
 */
import { z } from 'zod/v4';
import { defineEvents } from '../define-events';
import { defineVendor } from '../vendor-definition';

const enrollment = {
  enrollmentId: z.string(),
  contactId: z.string(),
  campaignId: z.string(),
};

const ENROLLMENT_SAMPLE = { enrollmentId: 'clenr123', contactId: 'clxyz789', campaignId: 'clcmp456' };

/** The doc lists no fields for message events; ids named like its siblings' are optional. */
const message = z.looseObject({
  messageId: z.string().optional(),
  contactId: z.string().optional(),
  campaignId: z.string().optional(),
});

const MESSAGE_SAMPLE = { messageId: 'clmsg321', contactId: 'clxyz789', campaignId: 'clcmp456' };

export const konvox = defineVendor({
  id: 'konvox',
  name: 'Konvox',
  categories: ['Sales', 'Marketing'],
  registration: { kind: 'manual', settingsPath: 'Settings > Webhooks' },
  signature: {
    header: 'X-Konvox-Signature',
    encoding: 'hex',
    headerAssumed: true,
    mayBeUnsigned: true,
    assumption:
      'The doc describes no signature; X-Konvox-Signature with a hex HMAC-SHA256 of the raw body is assumed. Set the header your Konvox account shows.',
  },
  eventType: { bodyFields: ['event'] },
  timestampField: 'timestamp',
  // No event id: a digest of the raw body, identical across retries of one delivery.
  dedupe: {},
  // Non-2xx answers and timeouts are retried up to 3 times with exponential backoff; retries can deliver an event twice.
  delivery: {
    maxAttempts: 4,
    backoff: { kind: 'exponential', initialDelayMs: 30_000, factor: 2 },
    timeoutMs: 10_000,
  },
  events: defineEvents(
    {
      schema: (event, data) => z.looseObject({ event, timestamp: z.string(), companyId: z.string(), data }),
      sample: (event) => ({ event, timestamp: '2026-05-20T14:32:00.000Z', companyId: 'clxyz123' }),
    },
    {
      'contact.replied': {
        title: 'Contact replied',
        description: 'A contact replied to an outbound email or LinkedIn message. The enrollment state is updated to replied.',
        category: 'Contact',
        data: z.looseObject({
          contactId: z.string(),
          channel: z.enum(['email', 'linkedin']),
          subject: z.string().nullable().optional(),
          campaignId: z.string().nullable(),
          enrollmentId: z.string().nullable(),
        }),
        sample: {
          data: {
            contactId: 'clxyz789',
            channel: 'email',
            subject: 'Re: Quick question about your team',
            campaignId: 'clcmp456',
            enrollmentId: 'clenr123',
          },
        },
      },
      'enrollment.created': {
        title: 'Enrollment created',
        description: 'A contact was enrolled in a campaign. The sequence will start on the next scheduled run.',
        category: 'Enrollment',
        data: z.looseObject(enrollment),
        sample: { data: ENROLLMENT_SAMPLE },
      },
      'enrollment.unsubscribed': {
        title: 'Contact unsubscribed',
        description:
          "A contact opted out, by an opt-out keyword in a reply or by a manual status change. All active enrollments for that contact are paused.",
        category: 'Enrollment',
        data: z.looseObject({ ...enrollment, reason: z.enum(['opt_out_keyword', 'manual']) }),
        sample: { data: { ...ENROLLMENT_SAMPLE, reason: 'opt_out_keyword' } },
      },
      'enrollment.completed': {
        title: 'Enrollment completed',
        description: 'A contact finished the last step of a campaign without replying or opting out.',
        category: 'Enrollment',
        data: z.looseObject(enrollment),
        sample: { data: ENROLLMENT_SAMPLE },
      },
      'message.approved': {
        title: 'Message approved',
        description: 'An AI-generated message is approved.',
        category: 'Message',
        data: message,
        sample: { data: MESSAGE_SAMPLE },
      },
      'message.rejected': {
        title: 'Message rejected',
        description: 'A message is rejected and removed from the queue.',
        category: 'Message',
        data: message,
        sample: { data: MESSAGE_SAMPLE },
      },
    },
  ),
});
