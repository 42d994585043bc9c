/**
 * Konver — webhooks are created by hand (Organization > Developer > Webhooks); no API.
 * Envelope `{id, eventType, timestamp, data}`; entities follow Konver's API contracts
 * (calllistcontract, companycontract, personcontract) as far as the doc's examples show them.
 * Signature: `X-Konver-Signature`, HMAC-SHA256 of the raw body. The doc does not state the
 * encoding: we sign hex like Kolvera and Convo, and verification accepts hex or base64.
 */
import { z } from 'zod/v4';
import { defineEvents } from '../define-events';
import { defineVendor } from '../vendor-definition';

const phone = z.looseObject({ origin: z.string(), phone: z.string() });

const callList = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  isLocked: z.boolean(),
});

/** Contact fields a CRM may leave empty; the doc's own sample has `logoUrl: null`. */
const profileFields = {
  email: z.string().nullable(),
  linkedIn: z.string().nullable(),
  xing: z.string().nullable(),
  logoUrl: z.string().nullable(),
  externalId: z.string().nullable(),
  externalUrl: z.string().nullable(),
  externalOrigin: z.string().nullable(),
  phones: z.array(phone),
};

const company = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  industry: z.string().nullable(),
  website: z.string().nullable(),
  ...profileFields,
});

const person = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  companyId: z.string().nullable(),
  name: z.string(),
  position: z.string().nullable(),
  ...profileFields,
});

const entityChange = <E extends z.ZodType>(entity: E) => z.looseObject({ id: z.string(), entity });

const SAMPLE_COMPANY = {
  id: '00000000-0000-0000-0000-000000000000',
  createdAt: '0001-01-01T00:00:00',
  name: 'Test',
  industry: 'Software',
  website: 'https://test.example',
  email: 'contact@test.example',
  linkedIn: 'https://www.linkedin.com/company/test',
  xing: 'https://www.xing.com/pages/test',
  logoUrl: null,
  externalId: 'ext-12345',
  externalUrl: 'https://external.example/companies/ext-12345',
  externalOrigin: 'crm',
  phones: [],
};

const SAMPLE_PERSON = {
  id: '019c2819-9bd6-76ca-8498-d427cc9ceb9b',
  createdAt: '2026-02-04T10:01:32.886372Z',
  companyId: '019c27ef-e61f-74ad-9888-ebbd8eb0983a',
  name: 'John Doe',
  position: 'Co-Founder & CEO',
  email: 'john.doe@example.com',
  linkedIn: 'https://www.linkedin.com/in/john-doe',
  xing: 'https://www.xing.com/profile/John_Doe',
  logoUrl: 'https://example.com/avatars/john-doe.jpg',
  externalId: 'person-98765',
  externalUrl: 'https://external.example/people/person-98765',
  externalOrigin: 'crm',
  phones: [{ origin: 'Surfe', phone: '+494915734630219' }],
};

const CALL_LIST_ID = '019c27fd-edfb-7717-ae6c-99f8517355f8';

const COMPANY_EXAMPLE = {
  id: '019c280f-e1ed-70b4-8140-963ca9861b1b',
  timestamp: '2026-02-04T09:51:00.667992Z',
  data: { id: SAMPLE_COMPANY.id, entity: SAMPLE_COMPANY },
};

const PERSON_EXAMPLE = {
  id: '019c2819-ebe2-7f9d-a494-691e63c3f534',
  timestamp: '2026-02-04T10:01:54.338473Z',
  data: { id: SAMPLE_PERSON.id, entity: SAMPLE_PERSON },
};

export const konver = defineVendor({
  id: 'konver',
  name: 'Konver',
  categories: ['Sales'],
  registration: { kind: 'manual', settingsPath: 'Organization > Developer > Webhooks' },
  signature: {
    header: 'X-Konver-Signature',
    encoding: 'hex',
    assumption: 'The doc does not state the digest encoding; hex and base64 are both accepted.',
  },
  eventType: { bodyFields: ['eventType'] },
  timestampField: 'timestamp',
  // Every Konver event carries a unique event id.
  dedupe: { idField: 'id' },
  // The doc states no retries or timeout; it keeps a delivery history (status, request, response) in its UI.
  delivery: {
    maxAttempts: 1,
    backoff: { kind: 'none' },
    timeoutMs: 10_000,
  },
  events: defineEvents(
    {
      schema: (eventType, data) => z.looseObject({ id: z.string(), eventType, timestamp: z.string(), data }),
      // The doc gives every example its own event id and time, so each event's sample carries them.
      sample: (eventType) => ({ eventType }),
    },
    {
      'call_list.created': {
        title: 'Call list created',
        description: 'A call list was created.',
        category: 'Call lists',
        data: entityChange(callList),
        sample: {
          id: '019c27fd-ee0a-78eb-ba2b-c8be29a185b1',
          timestamp: '2026-02-04T09:31:19.704044Z',
          data: { id: CALL_LIST_ID, entity: { id: CALL_LIST_ID, name: 'Webhook List', createdAt: '2026-02-04T09:31:18.907562Z', isLocked: false } },
        },
      },
      'call_list.updated': {
        title: 'Call list updated',
        description: 'A call list was changed.',
        category: 'Call lists',
        data: entityChange(callList),
        sample: {
          id: '019c2802-1173-743a-9082-6e39fce200c7',
          timestamp: '2026-02-04T09:35:50.202643Z',
          data: { id: CALL_LIST_ID, entity: { id: CALL_LIST_ID, name: 'Webhook', createdAt: '2026-02-04T09:31:18.907562Z', isLocked: false } },
        },
      },
      'call_list.deleted': {
        title: 'Call list deleted',
        description: 'A call list was deleted; the entity is null.',
        category: 'Call lists',
        data: entityChange(z.null()),
        sample: { id: '019c2802-e57b-7d62-b3da-74219b9e07b4', timestamp: '2026-02-04T09:36:44.500112Z', data: { id: CALL_LIST_ID, entity: null } },
      },
      'call_list_entry.changed': {
        title: 'Call list entry changed',
        description: 'An entry of a call list changed; the data names the list.',
        category: 'Call list entries',
        data: z.looseObject({ listId: z.string() }),
        sample: { id: '019c284d-5898-761e-a7b5-f84bd19a35d0', timestamp: '2026-02-04T10:58:04.550029Z', data: { listId: '00000000-0000-0000-0000-000000000000' } },
      },
      // The doc's created and updated examples share one event id; the samples keep it.
      'company.created': {
        title: 'Company created',
        description: 'A company was created.',
        category: 'Companies',
        data: entityChange(company),
        sample: COMPANY_EXAMPLE,
      },
      'company.updated': {
        title: 'Company updated',
        description: 'A company was changed.',
        category: 'Companies',
        data: entityChange(company),
        sample: COMPANY_EXAMPLE,
      },
      'person.created': {
        title: 'Person created',
        description: 'A person was created.',
        category: 'People',
        data: entityChange(person),
        sample: PERSON_EXAMPLE,
      },
      'person.updated': {
        title: 'Person updated',
        description: 'A person was changed.',
        category: 'People',
        data: entityChange(person),
        sample: PERSON_EXAMPLE,
      },
    },
  ),
});
