import type { IWebhookFunctions } from 'n8n-workflow';
import type { SubscriptionApi } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { rememberBounded, triggerScope } from './memory';
import type { HeldSubscription } from './static-data';
import { create, eventsToSubscribe, hold, liveAtUrl, noteActivation, remove, webhookUrl } from './subscriptions';
import { describe } from './vendor-client';

/** When the trigger no longer holds the secret of what delivers to it, it subscribes afresh (docs/design/lost-subscription.md). */
const CHECK_EVERY_MS = 30_000;
/** The refused delivery's answer waits for the check: one attempt, soon given up. */
const CHECK_LIMITS = { attempts: 1, timeoutMs: 3_000 };
/** Far longer than an activation takes to save its record. */
const HEAL_AFTER_MS = 60_000;

interface Suspect {
  /** The subscription at our URL that the trigger did not hold, if any. */
  readonly id: string | undefined;
  readonly since: number;
  readonly checkedAt: number;
}

const suspects = new Map<string, Suspect>();
const suspect = (scope: string, value: Suspect) => rememberBounded(suspects, scope, value, 1000);

/** With no lock between processes: creates first, then gives way (removing its own) to any unknown live subscription at the URL. */
async function subscribeInPlaceOf(context: IWebhookFunctions, vendor: VendorDefinition, api: SubscriptionApi, lost: readonly string[], held: readonly string[]) {
  const url = webhookUrl(context, vendor);
  const created = await create(context, vendor, api, url, eventsToSubscribe(context, vendor));
  const others = (await liveAtUrl(context, vendor, api, url)).map((remote) => remote.id).filter((id) => id !== created.id && !lost.includes(id) && !held.includes(id));
  if (others.length > 0) {
    await remove(context, vendor, api, created.id);
    return { own: created.id, gaveWayTo: others };
  }
  hold(context, url, created);
  for (const id of lost) await remove(context, vendor, api, id);
  return { own: created.id, gaveWayTo: [] };
}

/** After a delivery was refused for its signature; a flood of forgeries costs the vendor one list call per CHECK_EVERY_MS. */
export async function checkForLostSubscription(
  context: IWebhookFunctions,
  vendor: VendorDefinition,
  api: SubscriptionApi,
  held: readonly HeldSubscription[],
  unopened: readonly string[],
  now = Date.now(),
): Promise<void> {
  if (context.getMode() !== 'webhook') return;
  const scope = triggerScope(context);
  const last = suspects.get(scope);
  if (last !== undefined && now - last.checkedAt < CHECK_EVERY_MS) return;
  // Claimed before the call: deliveries refused meanwhile do not ask again.
  suspect(scope, { id: last?.id, since: last?.since ?? now, checkedAt: now });
  const url = context.getNodeWebhookUrl('default') ?? '';
  let remote;
  try {
    remote = await liveAtUrl(context, vendor, api, url, CHECK_LIMITS);
  } catch (error) {
    // Most refusals are forgeries: not worth a warning each time the vendor is unreachable.
    context.logger.debug(`${vendor.name} trigger could not check its subscription after a refused delivery: ${describe(error)}`);
    return;
  }
  const unknown = remote.filter(({ id }) => unopened.includes(id) || !held.some((subscription) => subscription.id === id)).map(({ id }) => id);
  // A secret the API key no longer opens is lost for good: no save under way can bring it back.
  const keyChanged = unknown.length > 0 && unknown.every((id) => unopened.includes(id));
  if (!keyChanged) {
    if (unknown[0] === undefined || unknown[0] !== last?.id) return suspect(scope, { id: unknown[0], since: now, checkedAt: now });
    if (now - last.since < HEAL_AFTER_MS) return;
  }
  const why = keyChanged
    ? `its signing secret does not open with the credential's API key (was the key changed?)`
    : `the trigger has not held its signing secret for ${Math.round((now - (last?.since ?? now)) / 1000)} s (static data was overwritten)`;
  context.logger.warn(`${vendor.name} subscription ${unknown[0]} delivers to this trigger, but ${why}: subscribing afresh.`);
  try {
    const { own, gaveWayTo } = await subscribeInPlaceOf(context, vendor, api, unknown, held.map(({ id }) => id));
    if (gaveWayTo.length === 0) {
      // Like a restart: the live period goes on, and each process catches up on what it refused.
      noteActivation(context, api, 'other', new Date(now));
      suspects.delete(scope);
      return;
    }
    context.logger.info(`${vendor.name} trigger found ${gaveWayTo.join(', ')} subscribed at its URL meanwhile (another process healing, or an activation), and removed its own new subscription ${own}.`);
    // Two heals that gave way to each other: the one with the smaller id tries again first.
    suspect(scope, { id: unknown[0], since: now + (gaveWayTo.every((id) => own < id) ? 0 : HEAL_AFTER_MS), checkedAt: now });
  } catch (error) {
    context.logger.error(`${vendor.name} trigger could not subscribe afresh: ${describe(error)}`);
  }
}
