import { setTimeout as sleep } from 'node:timers/promises';
import { harnessPort } from '../../harness/ports';
import { DEFAULT_SIMULATOR_PORT, type DeliveryAttempt } from '../../simulator';
import { errorReason, Failure, UsageError } from './io';

/** What the simulator's fire and resend answer: one entry per delivery sent off. */
export interface Dispatched {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly event: string;
}

/** The port `npm start` and `convhooks simulate` listen on, shifted by CONVHOOKS_PORT_OFFSET as they shift it. */
export function defaultSimulatorPort(): number {
  try {
    return harnessPort(DEFAULT_SIMULATOR_PORT);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const defaultSimulatorUrl = () => `http://127.0.0.1:${defaultSimulatorPort()}`;

export const SIMULATOR_FLAG_HELP = `  --simulator URL  the running simulator (default http://127.0.0.1:${DEFAULT_SIMULATOR_PORT}, moved by CONVHOOKS_PORT_OFFSET)`;

/** The `--simulator` flag's value, or the default, without a trailing slash. */
export function simulatorUrl(flag: string | undefined): string {
  const url = flag ?? defaultSimulatorUrl();
  if (!URL.canParse(url)) throw new UsageError(`--simulator is not a URL: ${url}`);
  return url.replace(/\/+$/, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One call to the simulator's control API; a missing simulator or an error answer is a Failure with the reason. */
export async function control(base: string, method: 'GET' | 'POST', path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
  const { body, signal } = options;
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Failure(`No simulator answers at ${base} (${errorReason(error)}). Start one with \`npm start\` or \`convhooks simulate\`, or pass --simulator URL.`);
  }
  const answer = parseJson(await response.text());
  if (!response.ok) {
    const message = typeof answer === 'object' && answer !== null && 'error' in answer ? String(answer.error) : String(answer);
    throw new Failure(`The simulator at ${base} answered ${response.status}: ${message}`);
  }
  if (typeof answer !== 'object' || answer === null) throw new Failure(`${base}${path} did not answer JSON: is it a ConvHooks simulator?`);
  return answer;
}

export interface LogQuery {
  readonly vendor?: string;
  readonly webhookId?: string;
  readonly deliveryIds?: readonly string[];
  /** Only attempts logged after this one (its `seq`). */
  readonly after?: number;
}

export async function deliveryLog(base: string, query: LogQuery, signal?: AbortSignal): Promise<DeliveryAttempt[]> {
  const params = new URLSearchParams();
  if (query.vendor !== undefined) params.set('vendor', query.vendor);
  if (query.webhookId !== undefined) params.set('webhookId', query.webhookId);
  if (query.after !== undefined) params.set('after', String(query.after));
  for (const id of query.deliveryIds ?? []) params.append('deliveryId', id);
  return (await control(base, 'GET', `/_control/deliveries?${params}`, { signal })) as DeliveryAttempt[];
}

const POLL_MS = 100;
/** The vendors' answer timeout (10 s) and a margin: by then every first attempt has an answer. */
const FIRST_ANSWER_DEADLINE_MS = 15_000;

/**
 * Each delivery's first attempt, once the simulator logged it; undefined for one still queued
 * at the deadline (a duplicate behind a copy that is retrying). Polls rather than waiting for
 * the whole run, which under Konvox's retry policy takes minutes.
 */
export async function firstAnswers(base: string, dispatched: readonly Dispatched[]): Promise<(DeliveryAttempt | undefined)[]> {
  const ids = dispatched.map((dispatch) => dispatch.deliveryId);
  const deadline = performance.now() + FIRST_ANSWER_DEADLINE_MS;
  for (;;) {
    const log = ids.length === 0 ? [] : await deliveryLog(base, { deliveryIds: ids });
    const first = ids.map((id) => log.find((attempt) => attempt.deliveryId === id && attempt.attempt === 1));
    if (first.every((attempt) => attempt !== undefined) || performance.now() > deadline) return first;
    await sleep(POLL_MS);
  }
}
