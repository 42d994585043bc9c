import type { IWebhookFunctions } from 'n8n-workflow';
import { seenBefore } from './static-data';

/**
 * Keys this process has delivered, per trigger. Static data alone loses keys under concurrency:
 * n8n loads it at the start of each request and saves it whole at the end, so two deliveries
 * in flight at once each save a list without the other's key. Checking and recording here is
 * atomic within the process; static data still carries the keys across restarts.
 */
const recentByTrigger = new Map<string, Set<string>>();
const MAX_TRIGGERS = 1000;
/**
 * Konvox's last retry comes about 3.5 minutes after the first attempt; this many keys cover that
 * window up to about 90 deliveries a second, where static data's smaller list covers restarts.
 */
const MAX_RECENT_KEYS = 20_000;

function recentKeys(context: IWebhookFunctions): Set<string> {
  // Test and production subscriptions receive the same events: a test delivery must not mark the live one.
  const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${context.getMode()}`;
  let keys = recentByTrigger.get(scope);
  if (keys === undefined) {
    if (recentByTrigger.size >= MAX_TRIGGERS) recentByTrigger.delete(recentByTrigger.keys().next().value ?? '');
    keys = new Set();
    recentByTrigger.set(scope, keys);
  }
  return keys;
}

/** Records a delivery's dedupe key; true when this trigger has already delivered it. */
export function isRepeatedDelivery(context: IWebhookFunctions, key: string): boolean {
  const keys = recentKeys(context);
  if (keys.has(key)) return true;
  keys.add(key);
  if (keys.size > MAX_RECENT_KEYS) keys.delete(keys.values().next().value ?? '');
  return seenBefore(context.getWorkflowStaticData('node'), key);
}
