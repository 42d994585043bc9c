import type { Bundle, ZObject } from 'zapier-platform-core';
import { z } from 'zod/v4';
import { receive, removalAccepted, subscriptionGone, type HeaderMap, type SubscriptionApi, type VendorDefinition } from '../../shared';
import { verificationOptions } from './authentication';
import { zapOf } from './claims';
import { isRepeatedDelivery } from './dedupe';
import { listedItems, toItem, type TriggerItem } from './items';
import { refuseDelivery } from './refusals';
import { callVendor, readAnswer } from './vendor-api';

/** What `performSubscribe` returns; Zapier keeps it and hands it back as `bundle.subscribeData`. */
const subscribeData = z.looseObject({ id: z.string().min(1), secret: z.string() });
export type SubscribeData = z.infer<typeof subscribeData>;

/**
 * Zapier passes a hook's headers CGI-style, `Http-X-Convo-Signature` for `X-Convo-Signature`
 * (only the content headers come unprefixed); the core looks them up by the vendor's names.
 */
export function vendorHeaders(zapierHeaders: Readonly<Record<string, string>>): HeaderMap {
  return Object.fromEntries(Object.entries(zapierHeaders).map(([name, value]) => [name.replace(/^http[-_]/i, ''), value]));
}

/**
 * Turns one delivery into at most one item. Nothing is parsed before its signature passed,
 * unless the connection visibly turned verification off. A refused delivery (no raw body, a bad
 * or missing signature, a body that is not an event, a stale event) shows in the Zap history; a
 * signed event of another type is only logged, since a vendor-wide subscription sends those
 * rightly; a repeat of a delivery this Zap already ran yields nothing.
 */
export function hookPerform(vendor: VendorDefinition, eventName: string) {
  return async (zapier: ZObject, bundle: Bundle): Promise<TriggerItem[]> => {
    const subscription = subscribeData.safeParse(bundle.subscribeData);
    const zap = zapOf(subscription.data?.id, bundle);
    const request = bundle.rawRequest;
    if (typeof request?.content !== 'string') {
      return refuseDelivery(zapier, vendor, eventName, zap, 'no_raw_body', 'Zapier passed no raw request body, so the signature cannot be checked.');
    }
    const options = verificationOptions(vendor, bundle, subscription.data?.secret, new Date());
    const receipt = receive(vendor, Buffer.from(request.content, 'utf8'), vendorHeaders(request.headers ?? {}), options);
    if (!receipt.ok) return refuseDelivery(zapier, vendor, eventName, zap, receipt.reason, receipt.message);
    if (receipt.eventType !== eventName) {
      zapier.console.log(`${vendor.name} ${eventName} trigger: delivery ignored, it is a ${receipt.eventType ?? 'typeless'} event, not ${eventName}.`);
      return [];
    }
    if (await isRepeatedDelivery(zapier, vendor, zap, eventName, receipt.dedupeKey)) return [];
    return [toItem(vendor, receipt, receipt.verified)];
  };
}

function subscriptionOf(zapier: ZObject, vendor: VendorDefinition, bundle: Bundle): SubscribeData {
  const parsed = subscribeData.safeParse(bundle.subscribeData);
  if (!parsed.success) throw new zapier.errors.Error(`Zapier holds no ${vendor.name} subscription for this Zap.`, 'NoSubscription');
  return parsed.data;
}


/** REST hooks: subscribe `bundle.targetUrl` to this one event through the vendor's API, and back out. */
export function subscriptionLifecycle(vendor: VendorDefinition, api: SubscriptionApi, eventName: string) {
  return {
    performSubscribe: async (zapier: ZObject, bundle: Bundle): Promise<SubscribeData> => {
      if (!bundle.targetUrl) throw new zapier.errors.Error('Zapier gave no URL to subscribe.', 'NoTargetUrl');
      const answer = await callVendor(zapier, bundle, vendor, api, api.create(bundle.targetUrl, [eventName]));
      const created = readAnswer(zapier, vendor, api.createdResponse, answer);
      // The secret exists only in this answer; Zapier stores it with the subscription for `perform`.
      return { id: created.subscription.id, secret: created.secret };
    },
    performUnsubscribe: async (zapier: ZObject, bundle: Bundle) => {
      const { id } = subscriptionOf(zapier, vendor, bundle);
      const answer = await callVendor(zapier, bundle, vendor, api, api.remove(id), removalAccepted);
      if (subscriptionGone(answer.status)) zapier.console.log(`${vendor.name} subscription ${id} was already gone.`);
      return { id, removed: true };
    },
  };
}

/**
 * Sample items for the Zap editor, shaped as `perform` shapes a delivery: the vendor's recent
 * events of this type where its API has such a poll, else the documented example.
 */
export function listPerform(vendor: VendorDefinition, eventName: string) {
  const documented = [vendor.events[eventName]?.sample];
  const api = vendor.registration.kind === 'api' ? vendor.registration.api : undefined;
  return async (zapier: ZObject, bundle: Bundle): Promise<TriggerItem[]> => {
    const poll = api?.recentEvents;
    if (api === undefined || poll === undefined) return listedItems(vendor, eventName, documented);
    // Zapier's limit is -1 ("as many as you can") while it fills its dedupe list.
    const limit = bundle.meta?.limit > 0 ? Math.min(bundle.meta.limit, poll.maxPerType) : poll.maxPerType;
    const answer = await callVendor(zapier, bundle, vendor, api, poll.request(eventName, limit));
    return listedItems(vendor, eventName, readAnswer(zapier, vendor, poll.response, answer));
  };
}
