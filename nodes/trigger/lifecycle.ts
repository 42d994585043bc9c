import { createHash } from 'node:crypto';
import { NodeApiError, NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { normalizeEvents, removalAccepted, subscriptionGone, subscriptionMatches, type RemoteSubscription, type SubscriptionApi } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { AsyncCache } from './async-cache';
import { credentialName, type ApiCredentials } from './credential-names';
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

/**
 * What the vendor listed for one account, shared for a few seconds by the activations that check
 * their subscription: n8n activates every workflow as it starts, and each listing every webhook of
 * the account made start-up grow with the square of the number of triggers. Whatever this process
 * creates or removes drops the shared listings.
 */
const listings = new AsyncCache<RemoteSubscription[]>(100);
const LISTING_SHARED_MS = 5_000;

async function listedLately(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi): Promise<RemoteSubscription[]> {
  const { apiKey, baseUrl } = (await context.getCredentials(credentialName(vendor))) as unknown as Partial<ApiCredentials>;
  const account = createHash('sha256').update(`${vendor.id}\n${String(baseUrl)}\n${String(apiKey)}`).digest('base64url');
  return (await listings.get(account, LISTING_SHARED_MS, () => listRemote(context, vendor, api))).value;
}

/** The vendor's live subscriptions delivering to `url`. */
export async function liveAtUrl(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string, limits?: CallLimits) {
  return (await listRemote(context, vendor, api, limits)).filter((remote) => remote.url === url && remote.active);
}

/** The events to subscribe to; checked before anything is removed, so a mistake in the node never takes down a working subscription. */
function eventsToSubscribe(context: SubscribingContext, vendor: VendorDefinition) {
  const events = wantedEvents(context, vendor);
  if (events !== 'all' && events.length === 0) {
    throw new NodeOperationError(context.getNode(), 'Choose at least one event to receive.');
  }
  return events;
}

async function create(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string, events: ReturnType<typeof eventsToSubscribe>) {
  const seal = await sealerForTrigger(context, vendor);
  listings.clear();
  const created = readAnswer(context, vendor, api.createdResponse, await callVendor(context, vendor, api.create(url, events)));
  const subscription = { id: created.subscription.id, sealedSecret: seal(created.subscription.id, created.secret), createdAt: Date.now() };
  return { subscription, secret: created.secret };
}

function hold(context: SubscribingContext, url: string, { subscription, secret }: Awaited<ReturnType<typeof create>>): void {
  noteCreated(context, url, { ...subscription, secret });
  rememberSubscription(context.getWorkflowStaticData('node'), url, subscription);
}

async function remove(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, id: string): Promise<void> {
  listings.clear();
  const answer = await callVendor(context, vendor, api.remove(id), removalAccepted);
  if (subscriptionGone(answer.status)) context.logger.info(`${vendor.name} subscription ${id} was already gone.`);
}

/**
 * Subscribes `url` afresh: first removes whatever live subscription sits at our URL (stale, or
 * one whose secret we lost), which would otherwise deliver twice or be rejected.
 */
export async function subscribe(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi): Promise<void> {
  const url = webhookUrl(context, vendor);
  const events = eventsToSubscribe(context, vendor);
  await removeAllAt(context, vendor, api, url);
  hold(context, url, await create(context, vendor, api, url, events));
}

/**
 * Subscribes afresh in place of `lost` (live at our URL, their secrets lost), with no lock
 * between processes: every webhook processor refused their deliveries, and each may heal at the
 * same moment. Removing all at the URL, as an activation does, would remove another heal's new
 * subscription (seen in queue mode: two heals within a second left a subscription nobody held).
 * So a heal creates its own first, then looks: a live one there that is neither lost, its own,
 * nor one `held` is another heal's (or a new activation's), and it gives way, removing its own.
 * Of two creations the later sees the earlier, so at most one heal keeps its subscription; when
 * both see each other both give way, and the lost ones wait for the next heal.
 * Returns its new subscription's id, and those it gave way to (none when it kept its own).
 */
export async function subscribeInPlaceOf(
  context: IWebhookFunctions,
  vendor: VendorDefinition,
  api: SubscriptionApi,
  lost: readonly string[],
  held: readonly string[],
): Promise<{ readonly own: string; readonly gaveWayTo: readonly string[] }> {
  const url = webhookUrl(context, vendor);
  const created = await create(context, vendor, api, url, eventsToSubscribe(context, vendor));
  const others = (await liveAtUrl(context, vendor, api, url)).map((remote) => remote.id).filter((id) => id !== created.subscription.id && !lost.includes(id) && !held.includes(id));
  const own = created.subscription.id;
  if (others.length > 0) {
    await remove(context, vendor, api, own);
    return { own, gaveWayTo: others };
  }
  hold(context, url, created);
  for (const id of lost) await remove(context, vendor, api, id);
  return { own, gaveWayTo: [] };
}

/**
 * Removes every live subscription delivering to `url`, owned or not: one whose create answer
 * was lost, or whose secret we lost, would otherwise deliver twice or be stranded.
 */
async function removeAllAt(context: SubscribingContext, vendor: VendorDefinition, api: SubscriptionApi, url: string): Promise<void> {
  for (const remote of await liveAtUrl(context, vendor, api, url)) await remove(context, vendor, api, remote.id);
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
      const remote = (await listedLately(this, vendor, api)).find((subscription) => subscription.id === owned.id);
      if (remote === undefined || !subscriptionMatches(remote, url, wantedEvents(this, vendor))) return false;
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
