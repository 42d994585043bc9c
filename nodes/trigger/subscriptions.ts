import { createHash } from 'node:crypto';
import { NodeApiError, NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { normalizeEvents, removalAccepted, subscriptionGone, subscriptionMatches, type RemoteSubscription, type SubscriptionApi } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, type ApiCredentials } from './credentials';
import { selectedEvents } from './events';
import { holdCreated, dropHeld } from './held-subscriptions';
import { AsyncCache } from './memory';
import { dropSubscription, heldSubscriptions, holdSubscription, recordActivation, type ActivationKind } from './static-data';
import { openForTrigger, sealerForTrigger } from './subscription-secrets';
import { callVendor, describe, readAnswer, type CallLimits } from './vendor-client';

export type WebhookMethods = Record<'checkExists' | 'create' | 'delete', (this: IHookFunctions) => Promise<boolean>>;

/** An activation subscribes; so does a delivery that finds the subscription lost (lost-subscription.ts). */
export type SubscribingContext = IHookFunctions | IWebhookFunctions;

export function webhookUrl(context: SubscribingContext, vendor: VendorDefinition): string {
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

/** Each account's listing, shared for a few seconds by the activations of n8n's start; what this process changes drops them. */
const listings = new AsyncCache<RemoteSubscription[]>(100);
const LISTING_SHARED_MS = 5_000;

async function listedLately(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi): Promise<RemoteSubscription[]> {
  const { apiKey, baseUrl } = (await context.getCredentials(credentialName(vendor))) as unknown as Partial<ApiCredentials>;
  const account = createHash('sha256').update(`${vendor.id}\n${String(baseUrl)}\n${String(apiKey)}`).digest('base64url');
  return (await listings.get(account, () => LISTING_SHARED_MS, () => listRemote(context, vendor, api))).value;
}

/** The chosen events, with "every event picked one by one" spelled as the vendor's list will be. */
function wantedEvents(context: SubscribingContext, vendor: VendorDefinition) {
  const events = selectedEvents(context);
  return events === 'all' || events.length === 0 ? events : normalizeEvents(events, Object.keys(vendor.events));
}

/** Checked before anything is removed, so a mistake in the node never takes down a working subscription. */
export function eventsToSubscribe(context: SubscribingContext, vendor: VendorDefinition) {
  const events = wantedEvents(context, vendor);
  if (events !== 'all' && events.length === 0) throw new NodeOperationError(context.getNode(), 'Choose at least one event to receive.');
  return events;
}

export async function create(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string, events: ReturnType<typeof eventsToSubscribe>) {
  const seal = await sealerForTrigger(context, vendor);
  listings.clear();
  const { subscription, secret } = readAnswer(context, vendor, api.createdResponse, await callVendor(context, vendor, api.create(url, events)));
  return { id: subscription.id, sealedSecret: seal(subscription.id, secret), createdAt: Date.now(), secret };
}

/** Into static data, and into this process's memory until n8n has saved it (held-subscriptions.ts). */
export function hold(context: SubscribingContext, url: string, created: Awaited<ReturnType<typeof create>>): void {
  holdCreated(context, url, created);
  holdSubscription(context.getWorkflowStaticData('node'), url, created);
}

export async function remove(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, id: string): Promise<void> {
  listings.clear();
  const answer = await callVendor(context, vendor, api.remove(id), removalAccepted);
  if (subscriptionGone(answer.status)) context.logger.info(`${vendor.name} subscription ${id} was already gone.`);
}

/** Removes every live subscription at `url`, held or not: one whose create answer or secret was lost would deliver twice or be stranded. */
async function removeAllAt(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string): Promise<void> {
  for (const remote of await liveAtUrl(context, vendor, api, url)) await remove(context, vendor, api, remote.id);
  dropSubscription(context.getWorkflowStaticData('node'), url);
  dropHeld(context, url);
}

/** n8n's activation modes: `activate` is a fresh publish, `init` n8n starting, `leadershipChange` a multi-main instance taking over. */
function activationKind(context: IHookFunctions): ActivationKind | undefined {
  const mode = context.getActivationMode();
  if (mode === 'manual') return undefined;
  if (mode === 'activate') return 'fresh publish';
  return mode === 'init' || mode === 'leadershipChange' ? 'n8n start' : 'other';
}

/** Records the activation where catch-up will need it. */
export function noteActivation(context: SubscribingContext, api: SubscriptionApi, kind: ActivationKind | undefined, now = new Date()): void {
  if (api.recentEvents !== undefined && kind !== undefined) recordActivation(context.getWorkflowStaticData('node'), kind, now);
}

function asNodeError(context: IHookFunctions, error: unknown): NodeApiError | NodeOperationError {
  return error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), describe(error));
}

/**
 * Subscribes on activation and unsubscribes on deactivation; the test and production URLs each own
 * a subscription. `create` first removes whatever sits at its URL, so nothing ever delivers twice.
 */
export function subscriptionLifecycle(vendor: VendorDefinition, api: SubscriptionApi): WebhookMethods {
  return {
    async checkExists() {
      const url = webhookUrl(this, vendor);
      const held = heldSubscriptions(this.getWorkflowStaticData('node')).get(url);
      if (held === undefined) return false;
      if ((await openForTrigger(this, vendor, held)) === undefined) {
        // n8n then calls create, which subscribes afresh.
        this.logger.warn(`The ${vendor.name} signing secret stored for this trigger does not open with the credential's API key (was the key changed, or the workflow copied?): subscribing again.`);
        return false;
      }
      const remote = (await listedLately(this, vendor, api)).find((subscription) => subscription.id === held.id);
      if (remote === undefined || !subscriptionMatches(remote, url, wantedEvents(this, vendor))) return false;
      noteActivation(this, api, activationKind(this));
      return true;
    },

    async create() {
      try {
        const url = webhookUrl(this, vendor);
        const events = eventsToSubscribe(this, vendor);
        await removeAllAt(this, vendor, api, url);
        hold(this, url, await create(this, vendor, api, url, events));
        noteActivation(this, api, activationKind(this));
      } catch (error) {
        // n8n shows the error in the editor; operators need it in the server log too.
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
