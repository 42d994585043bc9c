import type { IWebhookFunctions } from 'n8n-workflow';

/** One trigger node of one workflow: what the process keeps in memory about a trigger is keyed by it. */
export const triggerScope = (context: Pick<IWebhookFunctions, 'getWorkflow' | 'getNode'>) => `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;

/** Sets `key` as the newest entry, dropping the oldest once `map` holds `max`: memory per process stays bounded however many triggers it runs. */
export function rememberBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
