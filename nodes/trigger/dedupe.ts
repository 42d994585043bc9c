import type { IWebhookFunctions } from 'n8n-workflow';
import { MAX_SEEN_KEYS, seenBefore } from './static-data';

/**
 * Keys this process has delivered, per trigger. Static data alone loses keys under concurrency:
 * n8n loads it at the start of each request and saves it whole at the end, so two deliveries
 * in flight at once each save a list without the other's key. Checking and recording here is
 * atomic within the process; static data still carries the keys across restarts.
 */
const recentByTrigger = new Map<string, Set<string>>();
const MAX_TRIGGERS = 1000;

function recentKeys(context: IWebhookFunctions): Set<string> {
  const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
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
  if (keys.size > MAX_SEEN_KEYS) keys.delete(keys.values().next().value ?? '');
  return seenBefore(context.getWorkflowStaticData('node'), key);
}
