import type { IDataObject } from 'n8n-workflow';
import type { JsonObject } from '../../shared/json';
import type { SchemaIssue } from '../../shared/parse-event';
import type { VendorDefinition } from '../../shared/vendor-definition';

/** What an item carries of the core's parse result. */
export interface ParsedEvent {
  readonly body: JsonObject;
  readonly eventType: string | null;
  readonly dedupeKey: string;
  readonly issues: readonly SchemaIssue[];
}

/** How the trigger came by the event: a delivery (verified or, by the user's choice, not), or the vendor's API after a gap. */
export type Provenance = { readonly verified: boolean } | { readonly recoveredFrom: 'api' };

/**
 * One workflow item: the vendor's payload as it arrived, plus the `convhooks` block the docs
 * describe. Deliveries, catch-up and the package README's sample all build it here, so the
 * documented shape is the emitted one.
 */
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
  };
  if (headers !== undefined) convhooks.headers = headers;
  return { ...parsed.body, convhooks };
}
