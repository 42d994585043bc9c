import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
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

/** What the cache asks of n8n's webhook context. */
type CredentialContext = Pick<IWebhookFunctions, 'getNode' | 'getWorkflow' | 'getCredentials'>;

/**
 * After this, a delivery reads the credential again: edits reach every process within a minute,
 * so a removed previous secret is still accepted for up to that long.
 */
const CREDENTIAL_TTL_MS = 60_000;
/** A signature that fails against a copy older than this re-reads the credential once, so a just-saved secret works at once. */
const REFRESH_AFTER_MISMATCH_MS = 5_000;
const MAX_ENTRIES = 1000;

const entries = new Map<string, Entry>();
/**
 * Reads under way, by cache key. Deliveries that arrive together (a burst of forged requests
 * among them) wait for the one decryption already started instead of each starting their own.
 */
const reads = new Map<string, Promise<Entry>>();

function cacheKey(context: CredentialContext, vendor: VendorDefinition): string {
  const node = context.getNode();
  const reference = node.credentials?.[credentialName(vendor)];
  return `${context.getWorkflow().id ?? ''}:${node.id}:${reference?.id ?? reference?.name ?? ''}`;
}

function youngerThan(ageMs: number, entry: Entry | undefined, now: number): Entry | undefined {
  return entry !== undefined && now - entry.fetchedAt < ageMs ? entry : undefined;
}

async function fetchInto(context: CredentialContext, vendor: VendorDefinition, key: string, now: number): Promise<Entry> {
  const entry: Entry = { credentials: (await context.getCredentials(credentialName(vendor))) as unknown as SigningCredentials, fetchedAt: now };
  // Deleted first so a re-read key counts as the newest, and updating it evicts nothing else.
  entries.delete(key);
  // Unverified running is read afresh on every delivery, so turning verification back on takes effect at once.
  if (entry.credentials.verification === 'disabled') return entry;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value ?? '');
  entries.set(key, entry);
  return entry;
}

/** One read per key at a time; a failed read is forgotten with its promise, so the next delivery tries again. */
function read(context: CredentialContext, vendor: VendorDefinition, key: string, now: number): Promise<Entry> {
  const pending = reads.get(key);
  if (pending !== undefined) return pending;
  const started = fetchInto(context, vendor, key, now)
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NodeOperationError(context.getNode(), `The ${vendor.name} trigger could not read its ${credentialName(vendor)} credential, so it cannot verify deliveries: ${reason}`);
    })
    .finally(() => reads.delete(key));
  reads.set(key, started);
  return started;
}

export interface CachedCredentials {
  readonly credentials: SigningCredentials;
  /** Whether a failed check may re-read the credential: the copy is old enough to be stale. */
  readonly mayRefresh: boolean;
  refresh(): Promise<SigningCredentials>;
}

export async function signingCredentials(context: CredentialContext, vendor: VendorDefinition, now = Date.now()): Promise<CachedCredentials> {
  const key = cacheKey(context, vendor);
  const entry = youngerThan(CREDENTIAL_TTL_MS, entries.get(key), now) ?? (await read(context, vendor, key, now));
  return {
    credentials: entry.credentials,
    mayRefresh: now - entry.fetchedAt >= REFRESH_AFTER_MISMATCH_MS,
    // Another delivery may have re-read it since this copy was taken: then that copy is the fresh one.
    refresh: async () => (youngerThan(REFRESH_AFTER_MISMATCH_MS, entries.get(key), now) ?? (await read(context, vendor, key, now))).credentials,
  };
}
