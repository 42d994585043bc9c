import { NodeApiError, NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { normalizeEvents, removalAccepted, subscriptionGone, subscriptionMatches, type SubscriptionApi } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { selectedEvents } from './event-selection';
import { noteActivation } from './catch-up';
import { forgetCreated, noteCreated } from './known-subscriptions';
import { forgetSubscription, ownedSubscription, rememberSubscription } from './static-data';
import { openForTrigger, sealerForTrigger } from './subscription-secrets';
import { callVendor, readAnswer, type CallLimits } from './vendor-client';

export type WebhookMethods = Record<'checkExists' | 'create' | 'delete', (this: IHookFunctions) => Promise<boolean>>;

/** An activation subscribes; so does a delivery that finds the trigger's subscription lost (lost-subscription.ts). */
type SubscribingContext = IHookFunctions | IWebhookFunctions;

function webhookUrl(context: SubscribingContext, vendor: VendorDefinition): string {
  const url = context.getNodeWebhookUrl('default');
  if (url === undefined) throw new NodeOperationError(context.getNode(), `n8n gave no webhook URL for the ${vendor.name} trigger.`);
  return url;
}

async function listRemote(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, limits?: CallLimits) {
  return readAnswer(context, vendor, api.listResponse, await callVendor(context, vendor, api.list, undefined, limits));
}

/** The vendor's live subscriptions delivering to `url`. */
export async function liveAtUrl(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string, limits?: CallLimits) {
  return (await listRemote(context, vendor, api, limits)).filter((remote) => remote.url === url && remote.active);
}

/**
 * Subscribes `url` afresh: first removes whatever live subscription sits at our URL (stale, or
 * one whose secret we lost), which would otherwise deliver twice or be rejected.
 */
export async function subscribe(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi): Promise<void> {
  const url = webhookUrl(context, vendor);
  const events = wantedEvents(context, vendor);
  // Checked before anything is removed, so a mistake in the node never takes down a working subscription.
  if (events !== 'all' && events.length === 0) {
    throw new NodeOperationError(context.getNode(), 'Choose at least one event to receive.');
  }
  await removeAllAt(context, vendor, api, url);
  const seal = await sealerForTrigger(context, vendor);
  const answer = await callVendor(context, vendor, api.create(url, events));
  const created = readAnswer(context, vendor, api.createdResponse, answer);
  const subscription = { id: created.subscription.id, sealedSecret: seal(created.subscription.id, created.secret), createdAt: Date.now() };
  noteCreated(context, url, { ...subscription, secret: created.secret });
  rememberSubscription(context.getWorkflowStaticData('node'), url, subscription);
}

/**
 * Removes every live subscription delivering to `url`, owned or not: one whose create answer
 * was lost, or whose secret we lost, would otherwise deliver twice or be stranded.
 */
async function removeAllAt(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string): Promise<void> {
  const live = await liveAtUrl(context, vendor, api, url);
  for (const remote of live) {
    const answer = await callVendor(context, vendor, api.remove(remote.id), removalAccepted);
    if (subscriptionGone(answer.status)) context.logger.info(`${vendor.name} subscription ${remote.id} was already gone.`);
  }
  forgetSubscription(context.getWorkflowStaticData('node'), url);
  forgetCreated(context, url);
}

/** The chosen events, with "every event picked one by one" spelled as the vendor's list will be. */
function wantedEvents(context: SubscribingContext, vendor: VendorDefinition) {
  const events = selectedEvents(context);
  return events === 'all' || events.length === 0 ? events : normalizeEvents(events, Object.keys(vendor.events));
}

export function describe(error: unknown): string {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    return [error.message, error.description].filter(Boolean).join(' — ');
  }
  return error instanceof Error ? error.message : String(error);
}

function asNodeError(context: IHookFunctions, error: unknown): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  return new NodeOperationError(context.getNode(), describe(error));
}

/**
 * Subscribe on activation, unsubscribe on deactivation, for vendors with an API. Each mode's
 * URL (test, production) owns its own subscription. `checkExists` only looks; `create`
 * first removes whatever it owned or left behind at its URL, so no restart, save or lost
 * state ever leaves two subscriptions delivering to one workflow.
 */
export function subscriptionLifecycle(vendor: VendorDefinition, api: SubscriptionApi): WebhookMethods {
  return {
    async checkExists() {
      const url = webhookUrl(this, vendor);
      const staticData = this.getWorkflowStaticData('node');
      const owned = ownedSubscription(staticData, url);
      if (owned === undefined) return false;
      const secret = await openForTrigger(this, vendor, owned);
      if (secret === undefined) {
        // Returning false makes n8n call create, which removes what sits at the URL and subscribes afresh.
        this.logger.warn(`The ${vendor.name} signing secret stored for this trigger does not open with the credential's API key (was the key changed, or the workflow copied?): subscribing again.`);
        return false;
      }
      const remote = (await listRemote(this, vendor, api)).find((subscription) => subscription.id === owned.id);
      if (remote === undefined || !subscriptionMatches(remote, url, wantedEvents(this, vendor))) return false;
      // An earlier version stored it in plain text; n8n saves static data after this check.
      if ('plainSecret' in owned) rememberSubscription(staticData, url, { id: owned.id, sealedSecret: (await sealerForTrigger(this, vendor))(owned.id, secret), createdAt: owned.createdAt });
      noteActivation(this, vendor);
      return true;
    },

    async create() {
      try {
        await subscribe(this, vendor, api);
        noteActivation(this, vendor);
      } catch (error) {
        // n8n shows the error in the editor; the server log should carry it too, for operators.
        this.logger.error(`${vendor.name} trigger could not subscribe: ${describe(error)}`);
        throw asNodeError(this, error);
      }
      return true;
    },

    async delete() {
      await removeAllAt(this, vendor, api, webhookUrl(this, vendor));
      return true;
    },
  };
}
