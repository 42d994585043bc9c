import type { IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared';
import { credentialName, type SigningCredentials } from './credential-names';

/**
 * Signing secrets held between deliveries. n8n decrypts a credential inside a fresh expression
 * isolate on every getCredentials call, which costs more than the rest of a delivery; a
 * forged-request flood would pay it every time. Each process keeps its own copy, so nothing
 * here has to be shared across n8n's webhook processors.
 */
interface Entry {
  readonly credentials: SigningCredentials;
  readonly fetchedAt: number;
}

/**
 * After this, a delivery reads the credential again: edits reach every process within a minute,
 * so a removed previous secret is still accepted for up to that long.
 */
const CREDENTIAL_TTL_MS = 60_000;
/** A signature that fails against a copy older than this re-reads the credential once, so a just-saved secret works at once. */
const REFRESH_AFTER_MISMATCH_MS = 5_000;
const MAX_ENTRIES = 1000;

const entries = new Map<string, Entry>();

function cacheKey(context: IWebhookFunctions, vendor: VendorDefinition): string {
  const node = context.getNode();
  const reference = node.credentials?.[credentialName(vendor)];
  return `${context.getWorkflow().id ?? ''}:${node.id}:${reference?.id ?? reference?.name ?? ''}`;
}

async function fetchInto(context: IWebhookFunctions, vendor: VendorDefinition, key: string, now: number): Promise<SigningCredentials> {
  const credentials = (await context.getCredentials(credentialName(vendor))) as unknown as SigningCredentials;
  // Unverified running is read afresh on every delivery, so turning verification back on takes effect at once.
  if (credentials.verification === 'disabled') {
    entries.delete(key);
    return credentials;
  }
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value ?? '');
  entries.set(key, { credentials, fetchedAt: now });
  return credentials;
}

export interface CachedCredentials {
  readonly credentials: SigningCredentials;
  /** Whether a failed check may re-read the credential: the copy is old enough to be stale. */
  readonly mayRefresh: boolean;
  refresh(): Promise<SigningCredentials>;
}

export async function signingCredentials(context: IWebhookFunctions, vendor: VendorDefinition, now = Date.now()): Promise<CachedCredentials> {
  const key = cacheKey(context, vendor);
  const cached = entries.get(key);
  const fresh = cached !== undefined && now - cached.fetchedAt < CREDENTIAL_TTL_MS;
  const credentials = fresh ? cached.credentials : await fetchInto(context, vendor, key, now);
  const fetchedAt = fresh ? cached.fetchedAt : now;
  return {
    credentials,
    mayRefresh: now - fetchedAt >= REFRESH_AFTER_MISMATCH_MS,
    refresh: () => fetchInto(context, vendor, key, now),
  };
}
