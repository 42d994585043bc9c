import type { DeliveryAttempt } from '../simulator';
import type { N8nStack } from './stack';

/** Has the simulated vendor send an event now, and waits for every attempt, retries included. */
export async function fire(stack: N8nStack, vendor: string, event: string, extra: Record<string, unknown> = {}): Promise<{ attempts: DeliveryAttempt[] }> {
  const response = await fetch(`${stack.sim.url}/_control/fire`, { method: 'POST', body: JSON.stringify({ vendor, event, wait: true, ...extra }) });
  return (await response.json()) as { attempts: DeliveryAttempt[] };
}

/** Makes the simulated vendor's API fail as described, until changed. */
export async function setApiFaults(stack: N8nStack, faults: Record<string, unknown>): Promise<void> {
  await fetch(`${stack.sim.url}/_control/faults/api`, { method: 'POST', body: JSON.stringify(faults) });
}

/** Sets how the simulated vendor's deliveries misbehave until changed. */
export async function setDeliveryFaults(stack: N8nStack, vendor: string, faults: { duplicate?: boolean; reorder?: boolean; loseAnswers?: number }): Promise<void> {
  await fetch(`${stack.sim.url}/_control/faults/delivery`, { method: 'POST', body: JSON.stringify({ vendor, ...faults }) });
}

/** Posts a request to a webhook URL as an attacker or a broken vendor would. */
export async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.text() };
}
