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
import { defineEvent, defineVendor } from '../vendor-definition';
import type { JsonObject } from '../json';

function kolveraEvent<const T extends string>(
  event: T,
  category: string,
  title: string,
  description: string,
  data: JsonObject,
) {
  const named = z.literal(event).optional();
  return defineEvent({
    title,
    description,
    category,
    schema: z.looseObject({
      id: z.string().optional(),
      event: named,
      type: named,
      eventType: named,
      timestamp: z.string().optional(),
      data: z.looseObject({}),
    }),
    sample: { id: `evt_${event.replace(/\W/g, '_')}_01`, event, timestamp: '2026-05-20T14:32:00.000Z', data },
  });
}

export const kolvera = defineVendor({
  id: 'kolvera',
  name: 'Kolvera',
  registration: { kind: 'manual', settingsPath: 'Settings → Webhooks' },
  signature: { header: 'X-Kolvera-Signature', encoding: 'hex' },
  eventType: { bodyFields: ['event', 'type', 'eventType'] },
  timestampField: 'timestamp',
  // The doc shows no event id; an `id` is used when present, otherwise a digest of the raw body.
  dedupe: { idField: 'id' },
  // The doc asks for a 2xx answer and states no retries or timeout.
  delivery: {
    maxAttempts: 1,
    backoff: { kind: 'none' },
    timeoutMs: 10_000,
  },
  replay: {
    defaultWindowMinutes: 0,
    note: 'The doc shows no payload, so the timestamp field is our reading and may be absent (such a delivery would be refused), and it is silent on retries and test events: off by default.',
  },
  events: {
    'contact.created': kolveraEvent('contact.created', 'Contact', 'Contact created', 'A new contact is added to your workspace.', { contactId: 'ctc_01' }),
    'contact.updated': kolveraEvent('contact.updated', 'Contact', 'Contact updated', 'Contact details are changed.', { contactId: 'ctc_01' }),
    'contact.enriched': kolveraEvent('contact.enriched', 'Contact', 'Contact enriched', 'An email address or phone number is found for this contact.', { contactId: 'ctc_01' }),
    'contact.phone_found': kolveraEvent('contact.phone_found', 'Enrichment', 'Phone number found', 'A phone number is discovered via enrichment.', { contactId: 'ctc_01' }),
    'company.created': kolveraEvent('company.created', 'Company', 'Company created', 'A new company record is added.', { companyId: 'cmp_01' }),
    'company.updated': kolveraEvent('company.updated', 'Company', 'Company updated', 'Company details are changed.', { companyId: 'cmp_01' }),
    'campaign.activated': kolveraEvent('campaign.activated', 'Campaign', 'Campaign activated', 'A campaign is moved from draft to active.', { campaignId: 'cpg_01' }),
    'campaign.completed': kolveraEvent('campaign.completed', 'Campaign', 'Campaign completed', 'All enrolled contacts have finished the full sequence.', { campaignId: 'cpg_01' }),
    'campaign.email.sent': kolveraEvent('campaign.email.sent', 'Campaign', 'Campaign email sent', 'An individual campaign email is delivered.', { campaignId: 'cpg_01', contactId: 'ctc_01' }),
    'campaign.email.replied': kolveraEvent('campaign.email.replied', 'Campaign', 'Campaign email replied', 'A reply is detected on a campaign email.', { campaignId: 'cpg_01', contactId: 'ctc_01' }),
    'campaign.email.bounced': kolveraEvent('campaign.email.bounced', 'Campaign', 'Campaign email bounced', 'A campaign email bounces.', { campaignId: 'cpg_01', contactId: 'ctc_01' }),
    'meeting.booked': kolveraEvent('meeting.booked', 'Meeting', 'Meeting booked', 'A meeting is created in the meetings list.', { meetingId: 'mtg_01' }),
    'meeting.completed': kolveraEvent('meeting.completed', 'Meeting', 'Meeting completed', 'A meeting is marked as attended.', { meetingId: 'mtg_01' }),
    'enrichment.completed': kolveraEvent('enrichment.completed', 'Enrichment', 'Enrichment completed', 'A bulk enrichment job finishes processing.', { jobId: 'job_01' }),
  },
});
