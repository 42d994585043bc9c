import type { ZObject } from 'zapier-platform-core';
import type { DeliveryPolicy, VendorDefinition } from '../../shared';
import { claim } from './claims';

/**
 * The least a delivery's claim lives: Zapier may hold a hook before `perform` runs, and an hour
 * is far beyond every documented retry span while still small for the cache.
 */
const MIN_CLAIM_SECONDS = 60 * 60;

/** How long after its first attempt a vendor may still send an event: each attempt's timeout plus the waits between them. */
export function retrySpanMs({ maxAttempts, backoff, timeoutMs }: DeliveryPolicy): number {
  let waits = 0;
  if (backoff.kind === 'exponential') {
    for (let retry = 0; retry < maxAttempts - 1; retry += 1) waits += backoff.initialDelayMs * backoff.factor ** retry;
  }
  return maxAttempts * timeoutMs + waits;
}

export function claimSeconds(vendor: VendorDefinition): number {
  return Math.max(MIN_CLAIM_SECONDS, Math.ceil(retrySpanMs(vendor.delivery) / 1000));
}

/**
 * True when an earlier run of this Zap already took the event: Zapier dedupes polling triggers
 * only, so a vendor's retry would run the Zap again. A cache that fails decides nothing: the Zap
 * runs rather than lose the event.
 */
export async function isRepeatedDelivery(zapier: ZObject, vendor: VendorDefinition, zap: string | undefined, eventName: string, dedupeKey: string): Promise<boolean> {
  // Two Zaps on one connection receive the same event: without the Zap's name, a claim would let only one of them run.
  if (zap === undefined) {
    zapier.console.log(`${vendor.name} ${eventName} trigger: running delivery ${dedupeKey} unchecked for repeats, Zapier named no Zap to claim it for.`);
    return false;
  }
  const outcome = await claim(zapier, `delivery:${eventName}:${zap}:${dedupeKey}`, claimSeconds(vendor));
  if (outcome.kind === 'won') return false;
  if (outcome.kind === 'lost') {
    zapier.console.log(`${vendor.name} ${eventName} trigger: delivery ${dedupeKey} ignored, an earlier delivery of it already ran this Zap.`);
    return true;
  }
  zapier.console.log(`${vendor.name} ${eventName} trigger: running delivery ${dedupeKey} unchecked for repeats, ${outcome.why}.`);
  return false;
}
