import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, type ApiCredentials } from './credentials';
import { AsyncCache, triggerScope } from './memory';
import { openSecret, sealSecret, type SecretBinding } from './sealed-secret';
import type { HeldSubscription } from './static-data';

type NodeContext = Pick<IHookFunctions | IWebhookFunctions, 'getCredentials' | 'getNode' | 'getWorkflow' | 'logger'>;

const bindingOf = (context: NodeContext, subscriptionId: string): SecretBinding => ({ workflowId: context.getWorkflow().id ?? '', nodeId: context.getNode().id, subscriptionId });

async function apiKeyOf(context: NodeContext, vendor: VendorDefinition): Promise<string> {
  const { apiKey } = (await context.getCredentials(credentialName(vendor))) as unknown as Partial<ApiCredentials>;
  return typeof apiKey === 'string' ? apiKey : '';
}

/** Seals for this trigger only; the key is read before the vendor is asked to subscribe, keeping the unsaved gap short. */
export async function sealerForTrigger(context: NodeContext, vendor: VendorDefinition): Promise<(subscriptionId: string, secret: string) => string> {
  const apiKey = await apiKeyOf(context, vendor);
  return (subscriptionId, secret) => sealSecret(secret, apiKey, bindingOf(context, subscriptionId));
}

/** The subscription's secret, or undefined when the credential no longer opens it. */
export async function openForTrigger(context: NodeContext, vendor: VendorDefinition, held: HeldSubscription): Promise<string | undefined> {
  return held.secret ?? openSecret(held.sealedSecret, await apiKeyOf(context, vendor), bindingOf(context, held.id));
}

/** Opening reads the credential, which a forged-request flood must not pay for per request. */
const opened = new AsyncCache<string | undefined>(1000);
/** A secret that did not open is tried again after this: the user may have put the old API key back. */
const REOPEN_MS = 60_000;

/** The secrets of every subscription the trigger holds that the credential opens, and the ids of those it does not. */
export async function deliverySecrets(context: NodeContext, vendor: VendorDefinition, held: readonly HeldSubscription[], now = Date.now()) {
  const secrets: string[] = [];
  const unopened: string[] = [];
  for (const subscription of held) {
    const open = async () => {
      const secret = await openForTrigger(context, vendor, subscription);
      // Once per REOPEN_MS, not per delivery.
      if (secret === undefined) context.logger.warn(`${vendor.name} deliveries are refused (401 no_secret): the signing secret stored for this trigger does not open with the credential's API key (was the key changed?); the trigger subscribes afresh.`);
      return secret;
    };
    // A sealed value carries its own random IV, so it names one subscription of one trigger.
    const key = `${triggerScope(context)}:${subscription.sealedSecret}`;
    const secret = subscription.secret ?? (await opened.get(key, (cached) => (cached === undefined ? REOPEN_MS : Number.POSITIVE_INFINITY), open, now)).value;
    if (secret === undefined) unopened.push(subscription.id);
    else secrets.push(secret);
  }
  return { secrets, unopened };
}
