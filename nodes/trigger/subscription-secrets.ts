import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, type ApiCredentials } from './credential-names';
import { openSecret, sealSecret, type SecretBinding } from './sealed-secret';
import type { OwnedSubscription } from './static-data';

type NodeContext = Pick<IHookFunctions | IWebhookFunctions, 'getCredentials' | 'getNode' | 'getWorkflow' | 'logger'>;

function bindingOf(context: NodeContext, subscriptionId: string): SecretBinding {
  return { workflowId: context.getWorkflow().id ?? '', nodeId: context.getNode().id, subscriptionId };
}

async function apiKeyOf(context: NodeContext, vendor: VendorDefinition): Promise<string> {
  const credentials = (await context.getCredentials(credentialName(vendor))) as unknown as Partial<ApiCredentials>;
  return typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
}

/**
 * Seals secrets for this trigger only. The credential is read before the vendor is asked to
 * subscribe: from the vendor's answer until n8n saves static data, deliveries of the new
 * subscription find no secret, and that gap must not include a credential read.
 */
export async function sealerForTrigger(context: NodeContext, vendor: VendorDefinition): Promise<(subscriptionId: string, secret: string) => string> {
  const apiKey = await apiKeyOf(context, vendor);
  return (subscriptionId, secret) => sealSecret(secret, apiKey, bindingOf(context, subscriptionId));
}

/** The subscription's secret, or undefined when the credential no longer opens it. */
export async function openForTrigger(context: NodeContext, vendor: VendorDefinition, owned: OwnedSubscription): Promise<string | undefined> {
  if ('plainSecret' in owned) return owned.plainSecret;
  return openSecret(owned.sealedSecret, await apiKeyOf(context, vendor), bindingOf(context, owned.id));
}

interface Opened {
  readonly secret: string | undefined;
  readonly at: number;
}

/**
 * Opened secrets, per process. Opening needs the credential, and n8n decrypts a credential in a
 * fresh expression isolate on every read: a forged-request flood must not pay that per request.
 * A sealed value carries its own random IV, so it names one subscription of one trigger.
 */
const opened = new Map<string, Opened>();
/** Reads under way: concurrent deliveries for one subscription wait for the same read. */
const opening = new Map<string, Promise<Opened>>();
const MAX_OPENED = 1000;
/** A value the credential did not open is tried again after this: the user may have put the old API key back. */
const RETRY_UNOPENED_MS = 60_000;

function cacheKey(context: NodeContext, owned: OwnedSubscription & { sealedSecret: string }): string {
  return `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${owned.sealedSecret}`;
}

async function openOnce(context: NodeContext, vendor: VendorDefinition, owned: OwnedSubscription & { sealedSecret: string }, now: number): Promise<Opened> {
  const key = cacheKey(context, owned);
  const cached = opened.get(key);
  if (cached !== undefined && (cached.secret !== undefined || now - cached.at < RETRY_UNOPENED_MS)) return cached;
  const pending = opening.get(key);
  if (pending !== undefined) return pending;
  const read = openForTrigger(context, vendor, owned)
    .then((secret) => {
      // Once per retry period, not per delivery: a flood of requests must not flood the log.
      if (secret === undefined) {
        context.logger.warn(`${vendor.name} deliveries are refused (401 no_secret): the signing secret stored for this trigger does not open with the credential's API key (was the key changed?); the trigger subscribes afresh.`);
      }
      if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value ?? '');
      const entry = { secret, at: now };
      opened.set(key, entry);
      return entry;
    })
    .finally(() => opening.delete(key));
  opening.set(key, read);
  return read;
}

/** The secrets of every subscription the trigger holds (test and production) that the credential opens, and the ids of those it does not. */
export async function deliverySecrets(context: NodeContext, vendor: VendorDefinition, owned: readonly OwnedSubscription[], now = Date.now()) {
  const secrets: string[] = [];
  const unopened: string[] = [];
  for (const subscription of owned) {
    const secret = 'plainSecret' in subscription ? subscription.plainSecret : (await openOnce(context, vendor, subscription, now)).secret;
    if (secret === undefined) unopened.push(subscription.id);
    else secrets.push(secret);
  }
  return { secrets, unopened };
}
