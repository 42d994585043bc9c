import type { IWebhookFunctions } from 'n8n-workflow';
import type { SubscriptionApi } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { noteResubscribed } from './catch-up';
import { describe, liveAtUrl, subscribeInPlaceOf } from './lifecycle';
import { rememberBounded, triggerScope } from './process-memory';
import type { OwnedSubscription } from './static-data';

/**
 * The last resort when static data lost the trigger's subscription. In queue mode a webhook
 * processor can write back a copy of static data loaded before an activation on the main instance
 * saved the new subscription (known-subscriptions.ts puts the newer record back wherever a
 * processor has seen it, but one may not have yet). The vendor shows a secret only once, so
 * nothing can bring it back: every delivery would be refused until the workflow is published
 * again. A process refusing deliveries therefore asks the vendor, at most every CHECK_EVERY_MS,
 * what is subscribed at the trigger's URL. A subscription there that static data still does not
 * hold a full HEAL_AFTER_MS later (far longer than an activation takes to save) is one whose
 * secret is lost: the trigger subscribes afresh (without undoing another process's heal of it,
 * see `subscribeInPlaceOf`), and Converc's catch-up recovers what it refused.
 * A held secret the credential does not open (the user changed the API key) is lost for good, and
 * no save under way can bring it back: the first delivery refused for it subscribes afresh.
 */
const CHECK_EVERY_MS = 30_000;
/** The refused delivery's answer waits for the check: one attempt, soon given up. */
const CHECK_LIMITS = { attempts: 1, timeoutMs: 3_000 };
const HEAL_AFTER_MS = 60_000;
const MAX_TRIGGERS = 1000;

interface Suspect {
  /** The vendor's subscription at our URL that static data did not hold, or undefined when none was. */
  readonly id: string | undefined;
  readonly since: number;
  readonly checkedAt: number;
}

const suspects = new Map<string, Suspect>();

/**
 * After a delivery was refused for its signature, with the held subscriptions whose secret the
 * credential did not open. A flood of forgeries costs the vendor one list call per CHECK_EVERY_MS.
 */
export async function checkForLostSubscription(
  context: IWebhookFunctions,
  vendor: VendorDefinition,
  api: SubscriptionApi,
  held: readonly OwnedSubscription[],
  unopened: readonly string[],
  now = Date.now(),
): Promise<void> {
  if (context.getMode() !== 'webhook') return;
  const scope = triggerScope(context);
  const last = suspects.get(scope);
  if (last !== undefined && now - last.checkedAt < CHECK_EVERY_MS) return;
  // Claimed before the call: deliveries refused meanwhile do not ask again.
  rememberBounded(suspects, scope, { id: last?.id, since: last?.since ?? now, checkedAt: now }, MAX_TRIGGERS);
  const url = context.getNodeWebhookUrl('default') ?? '';
  let remote;
  try {
    remote = await liveAtUrl(context, vendor, api, url, CHECK_LIMITS);
  } catch (error) {
    // Most refusals are forgeries, and the check only a safeguard: not worth a warning each time the vendor is unreachable.
    context.logger.debug(`${vendor.name} trigger could not check its subscription after a refused delivery: ${describe(error)}`);
    return;
  }
  const unknown = remote.filter((subscription) => unopened.includes(subscription.id) || !held.some((owned) => owned.id === subscription.id)).map((subscription) => subscription.id);
  const openedByNoKey = unknown.length > 0 && unknown.every((id) => unopened.includes(id));
  if (!openedByNoKey) {
    if (unknown[0] === undefined || unknown[0] !== last?.id) {
      rememberBounded(suspects, scope, { id: unknown[0], since: now, checkedAt: now }, MAX_TRIGGERS);
      return;
    }
    if (now - last.since < HEAL_AFTER_MS) return;
  }
  const why = openedByNoKey
    ? `its signing secret does not open with the credential's API key (was the key changed?)`
    : `the trigger has not held its signing secret for ${Math.round((now - (last?.since ?? now)) / 1000)} s (static data was overwritten)`;
  context.logger.warn(`${vendor.name} subscription ${unknown[0]} delivers to this trigger, but ${why}: subscribing afresh.`);
  try {
    const { own, gaveWayTo } = await subscribeInPlaceOf(context, vendor, api, unknown, held.map((owned) => owned.id));
    if (gaveWayTo.length === 0) {
      noteResubscribed(context, vendor, new Date(now));
      suspects.delete(scope);
      return;
    }
    context.logger.info(`${vendor.name} trigger found ${gaveWayTo.join(', ')} subscribed at its URL meanwhile (another process healing, or an activation), and removed its own new subscription ${own}.`);
    // Two heals that gave way to each other would meet again a minute later, and again. Both saw both
    // new ids: the one whose id was the smaller tries first, the other a minute after it, by when it sees the first's.
    const after = gaveWayTo.every((id) => own < id) ? 0 : HEAL_AFTER_MS;
    rememberBounded(suspects, scope, { id: unknown[0], since: now + after, checkedAt: now }, MAX_TRIGGERS);
  } catch (error) {
    context.logger.error(`${vendor.name} trigger could not subscribe afresh: ${describe(error)}`);
  }
}
