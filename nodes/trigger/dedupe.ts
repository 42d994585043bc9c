import type { IWebhookFunctions } from 'n8n-workflow';
import { DedupeStore } from './dedupe-store';
import { seenBefore } from './static-data';

/**
 * Keys this process has delivered. Static data alone loses keys under concurrency: n8n loads it
 * at the start of each request and saves it whole at the end, so two deliveries in flight at
 * once each save a list without the other's key. Checking and recording here is atomic within
 * the process; static data still carries the keys across restarts.
 */
const recent = new DedupeStore();

/** What dedupe asks of n8n's webhook context. */
type DedupeContext = Pick<IWebhookFunctions, 'getWorkflow' | 'getNode' | 'getMode' | 'getWorkflowStaticData'>;

/**
 * Records a delivery's dedupe key; true when this trigger has already delivered it. Static data
 * is the node's own and so is its credential, which decides `verified`: there an unverified key
 * can displace a verified one only of the same trigger, after its verification was turned off.
 */
export function isRepeatedDelivery(context: DedupeContext, key: string, verified: boolean): boolean {
  // Test and production subscriptions receive the same events: a test delivery must not mark the live one.
  const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${context.getMode()}`;
  if (recent.record(scope, key, verified)) return true;
  // n8n saves static data after production requests only, so the keys there are production's:
  // a test listener reading them would take the live subscription's deliveries for its own.
  if (context.getMode() === 'manual') return false;
  return seenBefore(context.getWorkflowStaticData('node'), key);
}
