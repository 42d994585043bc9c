import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
// The title case n8n's lint checks option names against, from the same package.
import { titleCase } from 'title-case';
import { signatureHeaderDescription } from '../credentials/credential-fields';
import type { VendorDefinition } from '../shared/vendor-definition';
import { ALL_EVENTS } from './trigger/events';

/**
 * n8n runs a webhook node only when a request arrives, so recovered events come with the next
 * delivery; the limits and the items' marks are in the docs the node links to.
 */
function catchUpNotice(vendor: VendorDefinition): INodeProperties[] {
  if (vendor.registration.kind !== 'api' || vendor.registration.api.recentEvents === undefined) return [];
  return [
    {
      displayName: `Events ${vendor.name} sent while n8n was down are read back from its API and arrive with the next delivery. This needs Ignore Repeated Deliveries on.`,
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
      displayName: `Add the Production URL above as a webhook in ${vendor.name} under ${vendor.registration.settingsPath}, with the events chosen below. Put the secret it shows in the credential.`,
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
    return `The ${count} events ${vendor.name} documents today, each by name: an event type it adds later is not sent`;
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
        description: firstSentence(definition.description),
      })),
    ].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A description says one thing: the vendor's first sentence, without the period n8n's lint refuses on one. */
function firstSentence(text: string): string {
  const [first = text] = text.split(/(?<!\be\.g)\.(?:\s|$)/);
  return first;
}

function replayWindowOption(vendor: VendorDefinition): INodeProperties {
  return {
    displayName: 'Refuse Old Deliveries (Minutes)',
    name: 'replayWindowMinutes',
    type: 'number',
    typeOptions: { minValue: 0, numberPrecision: 0 },
    default: 0,
    // Why it is off by default, in one clause; replayDefaultNote() in the docs says it in full.
    description: `Refuse signed deliveries whose ${vendor.timestampField} is older than this; off (0) by default, as ${vendor.name} can deliver events late`,
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
          description: signatureHeaderDescription(vendor),
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
        description: `Whether to start the workflow once when ${vendor.name} delivers the same event again`,
      },
      {
        displayName: 'Include Headers',
        name: 'includeHeaders',
        type: 'boolean',
        default: false,
        description: 'Whether to add the request headers to each item',
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
