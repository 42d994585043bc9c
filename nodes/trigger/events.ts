import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { JsonObject } from '../../shared/json';
import type { SchemaIssue } from '../../shared/parse-event';
import type { EventSelection } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';

/** The picker's value standing for every event, as n8n's own triggers spell it. */
export const ALL_EVENTS = '*';

export function selectedEvents(context: Pick<IHookFunctions | IWebhookFunctions, 'getNodeParameter'>): EventSelection {
  const events = context.getNodeParameter('events', []) as string[];
  return events.includes(ALL_EVENTS) ? 'all' : events;
}

export function isSelected(selection: EventSelection, eventType: string): boolean {
  return selection === 'all' || selection.includes(eventType);
}

/** What an item carries of the core's parse result. */
export interface ParsedEvent {
  readonly body: JsonObject;
  readonly eventType: string | null;
  readonly dedupeKey: string;
  readonly issues: readonly SchemaIssue[];
}

/** How the trigger came by the event: a delivery (verified or, by the user's choice, not), or the vendor's API after a gap. */
export type Provenance = { readonly verified: boolean } | { readonly recoveredFrom: 'api' };

/** One workflow item: the payload as it arrived plus the documented `convhooks` block; the package READMEs' sample is built here too. */
export function eventItem(vendor: VendorDefinition, parsed: ParsedEvent, receivedAt: Date, provenance: Provenance, headers?: IDataObject): IDataObject {
  const convhooks: IDataObject = {
    vendor: vendor.id,
    event: parsed.eventType,
    dedupeKey: parsed.dedupeKey,
    receivedAt: receivedAt.toISOString(),
    // An event read over the API with the credential's key is authentic, but no signature was checked.
    verified: 'verified' in provenance ? provenance.verified : false,
    ...('recoveredFrom' in provenance ? { recoveredFrom: provenance.recoveredFrom } : {}),
    schemaIssues: parsed.issues.map((issue) => ({ ...issue })),
    ...(headers === undefined ? {} : { headers }),
  };
  return { ...parsed.body, convhooks };
}
