import type { VENDORS, VendorId } from '../shared/vendors';
import type { EventName } from '../shared/vendor-definition';
import { jsonRequest, sheetsRow, slackMessage } from './actions';
import type { ModuleSpec } from './blueprint';
import { RAW_BODY } from './signature-filter';

/** A field of the parsed delivery: `field('data.id')` is `{{2.data.id}}`, `ref('data.id')` is `2.data.id` for use inside a function. */
export interface Fields {
  readonly field: (path: string) => string;
  readonly ref: (path: string) => string;
}

export interface RecipeRoute<V extends VendorId> {
  readonly event: EventName<(typeof VENDORS)[V]>;
  readonly action: (fields: Fields) => ModuleSpec;
}

/** One Make scenario; `slug` is the n8n recipe it mirrors, recipes/<slug>.json. */
export interface MakeRecipe<V extends VendorId> {
  readonly slug: string;
  readonly title: string;
  readonly vendor: V;
  readonly routes: readonly RecipeRoute<V>[];
}

/** A recipe of any vendor, its events checked against that vendor's. */
export type AnyMakeRecipe = { [V in VendorId]: MakeRecipe<V> }[VendorId];

export const MAKE_RECIPES: readonly AnyMakeRecipe[] = [
  {
    slug: 'kolvera-replies-to-slack',
    title: 'Kolvera replies → Slack',
    vendor: 'kolvera',
    routes: [
      {
        event: 'campaign.email.replied',
        action: ({ field }) =>
          slackMessage('#sales-replies', `:speech_balloon: Contact ${field('data.contactId')} replied to campaign ${field('data.campaignId')} (${field('timestamp')})`),
      },
    ],
  },
  {
    slug: 'konvox-unsubscribes-to-salesforce',
    title: 'Konvox opt-outs → Salesforce',
    vendor: 'konvox',
    routes: [
      {
        event: 'enrollment.unsubscribed',
        // Konvox contacts synced from Salesforce carry the Salesforce Contact Id, as in the n8n recipe.
        action: ({ field }) =>
          jsonRequest(
            'patch',
            `{{var.organization.salesforce_instance_url}}/services/data/v60.0/sobjects/Contact/${field('data.contactId')}`,
            'var.organization.salesforce_access_token',
            { HasOptedOutOfEmail: true, Description: `Opted out in Konvox (${field('data.reason')}) on ${field('timestamp')}` },
          ),
      },
    ],
  },
  {
    slug: 'converc-transcripts-to-sheets',
    title: 'Converc transcripts → Google Sheets',
    vendor: 'converc',
    routes: [
      {
        event: 'call.transcript_ready',
        // The last column is the delivery as received: the raw body JSON pass-through keeps.
        action: ({ field }) => sheetsRow('Transcripts', [field('id'), field('type'), field('createdAt'), field('organizationId'), `{{${RAW_BODY}}}`]),
      },
    ],
  },
  {
    slug: 'konver-people-to-hubspot',
    title: 'Konver people → HubSpot',
    vendor: 'konver',
    routes: [
      {
        event: 'person.created',
        // HubSpot's batch upsert keyed by email is its one call that creates or updates a contact.
        action: ({ field, ref }) =>
          jsonRequest('post', 'https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert', 'var.organization.hubspot_private_app_token', {
            inputs: [
              {
                idProperty: 'email',
                id: field('data.entity.email'),
                properties: {
                  email: field('data.entity.email'),
                  firstname: `{{first(split(${ref('data.entity.name')}; space))}}`,
                  lastname: `{{join(slice(split(${ref('data.entity.name')}; space); 1); space)}}`,
                  jobtitle: field('data.entity.position'),
                  phone: `{{get(${ref('data.entity.phones')}; "1.phone")}}`,
                },
              },
            ],
          }),
      },
    ],
  },
  {
    slug: 'convo-action-items-to-slack',
    title: 'Convo action items → Slack',
    vendor: 'convo',
    routes: [
      {
        event: 'conversation.action_items.ready',
        action: ({ field }) =>
          slackMessage('#meetings', `:white_check_mark: ${field('data.actionItemCount')} action items are ready for conversation ${field('data.conversationId')}`),
      },
    ],
  },
];
