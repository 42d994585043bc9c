import type { VendorDefinition } from '../../shared';

/** API vendors authenticate with a key; the others hand us the signing secret they showed the user. */
export function credentialName(vendor: VendorDefinition): string {
  return vendor.registration.kind === 'api' ? `${vendor.id}Api` : `${vendor.id}WebhookApi`;
}

export interface ApiCredentials {
  readonly apiKey: string;
  readonly baseUrl: string;
}

export interface SigningCredentials {
  readonly secret: string;
  readonly previousSecret?: string;
  readonly signatureHeader?: string;
  readonly verification?: 'required' | 'disabled';
}
