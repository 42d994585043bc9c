import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { AsyncCache } from './memory';

/** API vendors authenticate with a key; the others hand us the signing secret they showed the user. */
export function credentialName(vendor: VendorDefinition): string {
  return vendor.registration.kind === 'api' ? `${vendor.id}Api` : `${vendor.id}WebhookApi`;
}

/** What the node reads of an API credential: n8n sends the key itself; the node reads it only to seal secrets. */
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

/** A credential field as text: n8n hands over whatever a stored or imported credential holds. */
export const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** n8n decrypts a credential in a fresh isolate on every read: a forged-request flood must not pay that each time. */
const copies = new AsyncCache<SigningCredentials>(1000);
/** Edits reach every process within this, so a removed previous secret is still accepted that long. */
const COPY_TTL_MS = 60_000;
/** A signature that fails against a copy older than this re-reads the credential once, so a new secret works at once. */
const FRESH_MS = 5_000;

type CredentialContext = Pick<IWebhookFunctions, 'getNode' | 'getWorkflow' | 'getCredentials'>;

/** The credential as this process holds it, and whether a failed check may `refresh` it. */
export async function signingCredentials(context: CredentialContext, vendor: VendorDefinition, now = Date.now()) {
  const node = context.getNode();
  const reference = node.credentials?.[credentialName(vendor)];
  const key = `${context.getWorkflow().id ?? ''}:${node.id}:${reference?.id ?? reference?.name ?? ''}`;
  const read = async () => {
    try {
      return (await context.getCredentials(credentialName(vendor))) as unknown as SigningCredentials;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NodeOperationError(node, `The ${vendor.name} trigger could not read its ${credentialName(vendor)} credential, so it cannot verify deliveries: ${reason}`);
    }
  };
  // Unverified running reads afresh on every delivery, so turning verification back on takes effect at once.
  const copy = await copies.get(key, (cached) => (cached.verification === 'disabled' ? 0 : COPY_TTL_MS), read, now);
  return {
    credentials: copy.value,
    mayRefresh: now - copy.at >= FRESH_MS,
    // Another delivery may have re-read it since: then that copy is the fresh one.
    refresh: async () => (await copies.get(key, () => FRESH_MS, read, now)).value,
  };
}
