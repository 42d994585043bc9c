import type { DeliveryAttempt } from './store';

/**
 * One line per delivery attempt, as the CLI and the demo print them; it ends with the delivery
 * id in brackets, which `convhooks replay` takes.
 */
export function describeAttempt(attempt: DeliveryAttempt): string {
  const answer = attempt.status === null ? attempt.error : String(attempt.status);
  return `${attempt.at}  ${attempt.vendor} ${attempt.event} → ${attempt.url}  attempt ${attempt.attempt}: ${answer} (${attempt.outcome}, ${attempt.durationMs} ms) [${attempt.deliveryId}]`;
}
