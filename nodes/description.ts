import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
// The title case n8n's lint checks option names against, from the same package.
import { titleCase } from 'title-case';
import { replayDefaultNote } from '../shared/replay';
import type { VendorDefinition } from '../shared/vendor-definition';
import { ALL_EVENTS } from './trigger/event-selection';

/** n8n runs a webhook node only when a request arrives, so recovered events can only come with the next delivery. */
function catchUpNotice(vendor: VendorDefinition): INodeProperties[] {
  if (vendor.registration.kind !== 'api' || vendor.registration.api.recentEvents === undefined) return [];
  const { maxPerType, maxAgeMinutes } = vendor.registration.api.recentEvents;
  return [
    {
      displayName: `Events ${vendor.name} sent while nobody listened (n8n stopped or restarting, the workflow being republished) are read back from ${vendor.name}'s API and added, marked convhooks.recoveredFrom = "api", to the execution of the next delivery: n8n starts a trigger only when a request arrives. Up to ${maxPerType} per event, from the last ${maxAgeMinutes / 60} hours, never from before the workflow was last published after being unpublished. Needs Ignore Repeated Deliveries on.`,
      name: 'catchUpNotice',
      type: 'notice',
      default: '',
    },
  ];
}

function setupNotice(vendor: VendorDefinition): INodeProperties[] {
  if (vendor.registration.kind === 'api') return catchUpNotice(vendor);
  return [
    {
      displayName: `${vendor.name} has no API to subscribe with: copy the Production URL above into ${vendor.name} → ${vendor.registration.settingsPath}, tick the same events you choose below, and put the Webhook Secret ${vendor.name} shows into this node's credential. Publish the workflow before ${vendor.name} sends its first event.`,
      name: 'setupNotice',
      type: 'notice',
      default: '',
    },
  ];
}

/** Every event reaches the node unfiltered except where the vendor is subscribed to today's catalog by name. */
function allEventsDescription(vendor: VendorDefinition): string {
  if (vendor.registration.kind === 'api' && vendor.registration.api.allEvents === 'catalog') {
    const count = Object.keys(vendor.events).length;
    return `The ${count} events ${vendor.name} documents today: ${vendor.name} is subscribed to each by name, so an event type it adds later is not sent`;
  }
  return `Every event ${vendor.name} sends, including ones added later`;
}

function eventPicker(vendor: VendorDefinition): INodeProperties {
  return {
    displayName: 'Events',
    name: 'events',
    type: 'multiOptions',
    required: true,
    default: [],
    description: `The ${vendor.name} events that start the workflow`,
    options: [
      { name: 'All Events', value: ALL_EVENTS, description: allEventsDescription(vendor) },
      ...Object.entries(vendor.events).map(([event, definition]) => ({
        name: titleCase(`${definition.title} (${event})`),
        value: event,
        description: inN8nStyle(definition.description),
      })),
    ].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** n8n's style for descriptions, which its lint enforces: one sentence ends without a period, two end with one. */
function inN8nStyle(text: string): string {
  const sentences = text.replace('e.g.', '').split('. ').length;
  if (sentences === 1) return text.replace(/\.$/, '');
  return text.endsWith('.') ? text : `${text}.`;
}

function replayWindowOption(vendor: VendorDefinition): INodeProperties {
  return {
    displayName: 'Refuse Old Deliveries (Minutes)',
    name: 'replayWindowMinutes',
    type: 'number',
    typeOptions: { minValue: 0, numberPrecision: 0 },
    default: 0,
    description: `Refuse with 401 a signed delivery whose ${vendor.timestampField} is more than this many minutes before or after this server's clock, so a captured delivery cannot be replayed later; one without a readable ${vendor.timestampField} is refused too. 0 turns it off. ${replayDefaultNote(vendor)}`,
  };
}

function options(vendor: VendorDefinition): INodeProperties {
  const headerOverride: INodeProperties[] = vendor.signature.headerAssumed
    ? [
        {
          displayName: 'Signature Header',
          name: 'signatureHeader',
          type: 'string',
          default: '',
          placeholder: vendor.signature.header,
          description: `Header carrying the HMAC-SHA256 signature. ${vendor.signature.assumption} Leave empty for ${vendor.signature.header}.`,
        },
      ]
    : [];
  return {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Ignore Repeated Deliveries',
        name: 'dedupe',
        type: 'boolean',
        default: true,
        description: `Whether to start the workflow only once when ${vendor.name} delivers the same event again (retries). The key is the event ID, or a digest of the body where the vendor sends none.`,
      },
      {
        displayName: 'Include Headers',
        name: 'includeHeaders',
        type: 'boolean',
        default: false,
        description: 'Whether to add the request headers to the item, under convhooks.headers',
      },
      ...headerOverride,
      replayWindowOption(vendor),
    ],
  };
}

/** What a trigger's description takes from the vendor's definition. */
export function triggerDescription(vendor: VendorDefinition) {
  return {
    description: `Starts the workflow when ${vendor.name} sends a signed webhook event`,
    defaults: { name: `${vendor.name} Trigger` },
    // An empty responseData lets n8n answer with the `webhookResponse` that webhook() returns.
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
    properties: [...setupNotice(vendor), eventPicker(vendor), options(vendor)],
  } satisfies Partial<INodeTypeDescription>;
}
