/**
 * Kolvera — webhooks are configured by hand in Settings → Webhooks; 14 event types; each
 * request carries `X-Kolvera-Signature`, a hex HMAC-SHA256 of the raw body.
 *
 * The doc shows no payload at all. We define the envelope most consistent with its siblings,
 * `{id?, event, timestamp?, data}` (Konvox and Convo name the type `event`), accept the other
 * spellings its siblings use for the type (`type` as Converc, `eventType` as Konver), and keep
 * `data` open: no field of it is promised, every field that arrives is kept. The samples'
 * `data` ids are illustrative, named after the event's subject.
 */
import { z } from 'zod/v4';
import { defineEvents } from '../define-events';
import { defineVendor } from '../vendor-definition';

const openData = z.looseObject({});

export const kolvera = defineVendor({
  id: 'kolvera',
  name: 'Kolvera',
  categories: ['Sales', 'Marketing'],
  registration: { kind: 'manual', settingsPath: 'Settings → Webhooks' },
  signature: { header: 'X-Kolvera-Signature', encoding: 'hex' },
  eventType: { bodyFields: ['event', 'type', 'eventType'] },
  timestampField: 'timestamp',
  // The doc shows no event id: an `id` that arrives may be the record's, shared by its every
  // update, so the key is a digest of the raw body.
  dedupe: {},
  // The doc asks for a 2xx answer and states no retries or timeout.
  delivery: {
    maxAttempts: 1,
    backoff: { kind: 'none' },
    timeoutMs: 10_000,
  },
  events: defineEvents(
    {
      schema: (event, data) => {
        // Whichever spelling a delivery uses, it may only name this event.
        const named = event.optional();
        return z.looseObject({
          id: z.string().optional(),
          event: named,
          type: named,
          eventType: named,
          timestamp: z.string().optional(),
          data,
        });
      },
      sample: (event) => ({ id: `evt_${event.replace(/\W/g, '_')}_01`, event, timestamp: '2026-05-20T14:32:00.000Z' }),
    },
    {
      'contact.created': {
        title: 'Contact created',
        description: 'A new contact is added to your workspace.',
        category: 'Contact',
        data: openData,
        sample: { data: { contactId: 'ctc_01' } },
      },
      'contact.updated': {
        title: 'Contact updated',
        description: 'Contact details are changed.',
        category: 'Contact',
        data: openData,
        sample: { data: { contactId: 'ctc_01' } },
      },
      'contact.enriched': {
        title: 'Contact enriched',
        description: 'An email address or phone number is found for this contact.',
        category: 'Contact',
        data: openData,
        sample: { data: { contactId: 'ctc_01' } },
      },
      'contact.phone_found': {
        title: 'Phone number found',
        description: 'A phone number is discovered via enrichment.',
        category: 'Enrichment',
        data: openData,
        sample: { data: { contactId: 'ctc_01' } },
      },
      'company.created': {
        title: 'Company created',
        description: 'A new company record is added.',
        category: 'Company',
        data: openData,
        sample: { data: { companyId: 'cmp_01' } },
      },
      'company.updated': {
        title: 'Company updated',
        description: 'Company details are changed.',
        category: 'Company',
        data: openData,
        sample: { data: { companyId: 'cmp_01' } },
      },
      'campaign.activated': {
        title: 'Campaign activated',
        description: 'A campaign is moved from draft to active.',
        category: 'Campaign',
        data: openData,
        sample: { data: { campaignId: 'cpg_01' } },
      },
      'campaign.completed': {
        title: 'Campaign completed',
        description: 'All enrolled contacts have finished the full sequence.',
        category: 'Campaign',
        data: openData,
        sample: { data: { campaignId: 'cpg_01' } },
      },
      'campaign.email.sent': {
        title: 'Campaign email sent',
        description: 'An individual campaign email is delivered.',
        category: 'Campaign',
        data: openData,
        sample: { data: { campaignId: 'cpg_01', contactId: 'ctc_01' } },
      },
      'campaign.email.replied': {
        title: 'Campaign email replied',
        description: 'A reply is detected on a campaign email.',
        category: 'Campaign',
        data: openData,
        sample: { data: { campaignId: 'cpg_01', contactId: 'ctc_01' } },
      },
      'campaign.email.bounced': {
        title: 'Campaign email bounced',
        description: 'A campaign email bounces.',
        category: 'Campaign',
        data: openData,
        sample: { data: { campaignId: 'cpg_01', contactId: 'ctc_01' } },
      },
      'meeting.booked': {
        title: 'Meeting booked',
        description: 'A meeting is created in the meetings list.',
        category: 'Meeting',
        data: openData,
        sample: { data: { meetingId: 'mtg_01' } },
      },
      'meeting.completed': {
        title: 'Meeting completed',
        description: 'A meeting is marked as attended.',
        category: 'Meeting',
        data: openData,
        sample: { data: { meetingId: 'mtg_01' } },
      },
      'enrichment.completed': {
        title: 'Enrichment completed',
        description: 'A bulk enrichment job finishes processing.',
        category: 'Enrichment',
        data: openData,
        sample: { data: { jobId: 'job_01' } },
      },
    },
  ),
});
