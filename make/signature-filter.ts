import type { VendorDefinition } from '../shared/vendor-definition';
import type { Condition, Filter } from './blueprint';

/**
 * The IML that checks a delivery's signature in Make, as strict as `verify` in
 * shared/signature.ts: exactly one signature header, trimmed, an optional "sha256=" prefix in
 * any case, then either the hex digest in any case or the canonical base64 digest of an HMAC
 * keyed with the user's secret over the raw body (module 1's `value` under JSON pass-through).
 */

/** The Custom Webhook is always module 1; JSON pass-through puts the raw body in `value`. */
export const RAW_BODY = '1.value';

/** The Make custom variable the user fills with the vendor's signing secret. */
export function secretVariable(vendor: VendorDefinition): string {
  return `var.organization.${vendor.id}_signing_secret`;
}

/** Every value sent under the signature header; Make lists request headers as {name, value} with lower-case names. */
function signatureValues(vendor: VendorDefinition): string {
  return `map(1.__IMTHEADERS__; "value"; "name"; "${vendor.signature.header.toLowerCase()}")`;
}

export function signatureFilter(vendor: VendorDefinition): Filter {
  const secret = secretVariable(vendor);
  const values = signatureValues(vendor);
  const given = `replace(trim(get(${values}; 1)); "/^sha256=/i"; emptystring)`;
  const required: Condition[] = [
    // Without this, an empty key would make sha256 a plain hash anyone can compute.
    { a: `{{length(${secret})}}`, o: 'number:greater', b: '0' },
    // A repeated header is refused, as the core refuses it.
    { a: `{{length(${values})}}`, o: 'number:equal', b: '1' },
  ];
  return {
    name: `Signed by ${vendor.name}`,
    conditions: [
      [...required, { a: `{{lower(${given})}}`, o: 'text:equal', b: `{{sha256(${RAW_BODY}; "hex"; ${secret})}}` }],
      [...required, { a: `{{${given}}}`, o: 'text:equal', b: `{{sha256(${RAW_BODY}; "base64"; ${secret})}}` }],
    ],
  };
}

/** The core's dedupe key for a delivery without an event id: retries repeat the raw body byte for byte. */
export function dedupeKey(vendor: VendorDefinition): string {
  return `${vendor.id}:sha256:{{sha256(${RAW_BODY}; "hex")}}`;
}
