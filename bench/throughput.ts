import type { N8nStack } from '../harness/stack';
import { loadDistinct, type LoadResult } from './load';
import { benchTrigger, distinctPoolSize, drained } from './n8n';
import { signedPool } from './signed-pool';

export interface Throughput {
  /** Signed deliveries answered 200 per second, summed over every entry point loaded at once. */
  readonly acceptedPerSecond: number;
  /** Executions finished per second, from the first request to the last execution's end. */
  readonly executionsPerSecond: number;
  readonly executions: number;
  readonly loads: readonly LoadResult[];
}

/**
 * Distinct signed Konver deliveries to one trigger (dedupe on), `connections` spread over
 * `entries` (n8n itself, a load balancer, or each webhook processor), then the time until the
 * last execution ends: what a team gets out of a setup, answering and executing alike.
 */
export async function throughput(
  stack: N8nStack,
  entries: (productionUrl: string) => readonly string[],
  options: { connections: number; seconds: number; name: string },
): Promise<Throughput> {
  const { trigger, secret } = await benchTrigger(stack, options.name);
  const urls = entries(trigger.productionUrl);
  const perEntry = Math.max(1, Math.round(options.connections / urls.length));
  await Promise.all(urls.map((url) => loadDistinct({ url, connections: perEntry, seconds: 3, requests: signedPool(distinctPoolSize(3), secret) })));
  await drained(stack, trigger.id);
  const before = (await stack.api.allExecutions(trigger.id, false)).length;

  const plans = urls.map((url) => ({ url, connections: perEntry, seconds: options.seconds, requests: signedPool(distinctPoolSize(options.seconds), secret) }));
  const started = Date.now();
  const loads = await Promise.all(plans.map((plan) => loadDistinct(plan)));
  await drained(stack, trigger.id);
  const after = await stack.api.allExecutions(trigger.id, false);
  const lastEnd = Math.max(...after.map((execution) => Date.parse(execution.stoppedAt ?? '') || 0));
  const executions = after.length - before;
  await trigger.unpublish();
  return {
    acceptedPerSecond: loads.reduce((sum, result) => sum + result.requestsPerSecond * ((result.statuses['200'] ?? 0) / total(result)), 0),
    executionsPerSecond: executions / ((lastEnd - started) / 1000),
    executions,
    loads,
  };
}

const total = (result: LoadResult) => Object.values(result.statuses).reduce((sum, count) => sum + count, 0) || 1;
