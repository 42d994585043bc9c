import type { VendorDefinition } from '../../shared/vendor-definition';

/** API vendors authenticate with a key; the others hand us the signing secret they showed the user. */
export function credentialName(vendor: VendorDefinition): string {
  return vendor.registration.kind === 'api' ? `${vendor.id}Api` : `${vendor.id}WebhookApi`;
}

/** What the node reads of an API credential; n8n adds the key itself, through the credential's `authenticate`. */
export interface ApiCredentials {
  /** Sent by the credential's own `authenticate`; the node reads it only to seal subscription secrets. */
  readonly apiKey: string;
  readonly baseUrl: string;
}

export interface SigningCredentials {
  readonly secret: string;
  readonly previousSecret?: string;
  readonly signatureHeader?: string;
  readonly verification?: 'required' | 'disabled';
}

/** A credential field as text: n8n hands over whatever a stored or imported credential holds. */
export const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
