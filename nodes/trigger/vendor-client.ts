import { NodeApiError, NodeOperationError, sleep, type IHookFunctions, type IHttpRequestMethods, type JsonObject } from 'n8n-workflow';
import type { z } from 'zod/v4';
import { describeMisfits, requestUrl, succeeded, vendorSaid, type RequestDescription } from '../../shared/subscription-api';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, type ApiCredentials } from './credentials';

type HookContext = Pick<IHookFunctions, 'getCredentials' | 'getNode' | 'helpers' | 'logger'>;

export interface VendorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function describeFailure(vendor: VendorDefinition, request: RequestDescription, answer: VendorAnswer) {
  const call = `${request.method} ${request.path}`;
  const detail = vendorSaid(answer.body);
  if (answer.status === 401 || answer.status === 403) {
    return {
      message: `${vendor.name} rejected the API key (${answer.status})`,
      description: `Check the API key in the ${vendor.name} credential.${detail}`,
    };
  }
  if (answer.status === 429) {
    const retryAfter = answer.headers['retry-after'];
    return {
      message: `${vendor.name} is rate limiting requests (429)`,
      description: `Try again${retryAfter ? ` in ${retryAfter} seconds` : ' later'}; n8n retries activating the workflow on its own.${detail}`,
    };
  }
  if (answer.status >= 500) {
    return { message: `${vendor.name} is unavailable (${answer.status})`, description: `${call} failed on ${vendor.name}'s side.${detail}` };
  }
  return { message: `${vendor.name} refused ${call} (${answer.status})`, description: detail.trim() || undefined };
}

/** Vendor calls answer in well under a second; one that hangs must fail the activation, not stall it. */
const TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 3;
/** A Retry-After beyond this is left to n8n, which retries a failed activation on its own. */
const MAX_RETRY_WAIT_MS = 5_000;

function retryWait(answer: VendorAnswer | undefined, attempt: number): number | undefined {
  if (answer !== undefined && answer.status !== 429 && answer.status < 500) return undefined;
  const retryAfter = Number(answer?.headers['retry-after']);
  const wait = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : 250 * 2 ** attempt;
  return wait <= MAX_RETRY_WAIT_MS ? wait : undefined;
}

/** A caller that must not wait long (a delivery's catch-up) asks for fewer attempts and a shorter timeout. */
export interface CallLimits {
  readonly attempts?: number;
  readonly timeoutMs?: number;
}

/**
 * Sends a request the core describes, with the node's credential. Reads and deletes are retried; a
 * create is not: one whose answer was lost may have subscribed, and the next activation removes it.
 */
export async function callVendor(
  context: HookContext,
  vendor: VendorDefinition,
  request: RequestDescription,
  accept: (status: number) => boolean = succeeded,
  limits: CallLimits = {},
): Promise<VendorAnswer> {
  const name = credentialName(vendor);
  const credentials = (await context.getCredentials(name)) as unknown as ApiCredentials;
  const url = requestUrl(credentials.baseUrl, request);
  const attempts = request.method === 'POST' ? 1 : (limits.attempts ?? MAX_ATTEMPTS);
  for (let attempt = 1; ; attempt += 1) {
    let answer: VendorAnswer | undefined;
    let failure: unknown;
    try {
      const response = await context.helpers.httpRequestWithAuthentication.call(context as IHookFunctions, name, {
        method: request.method as IHttpRequestMethods,
        url,
        body: request.body as JsonObject | undefined,
        json: true,
        returnFullResponse: true,
        ignoreHttpStatusErrors: true,
        timeout: limits.timeoutMs ?? TIMEOUT_MS,
      });
      answer = { status: response.statusCode as number, body: response.body as unknown, headers: (response.headers ?? {}) as Record<string, string> };
      if (accept(answer.status)) return answer;
    } catch (error) {
      failure = error;
    }
    const wait = retryWait(answer, attempt);
    if (attempt < attempts && wait !== undefined) {
      context.logger.warn(`${vendor.name} ${request.method} ${request.path} failed (${answer?.status ?? String(failure)}); retrying in ${wait} ms.`);
      await sleep(wait);
      continue;
    }
    if (answer === undefined) {
      throw new NodeApiError(context.getNode(), { message: String(failure) } as JsonObject, {
        message: `Could not reach ${vendor.name} at ${credentials.baseUrl}`,
        description: failure instanceof Error ? failure.message : String(failure),
      });
    }
    throw new NodeApiError(context.getNode(), { status: answer.status, body: answer.body } as JsonObject, {
      ...describeFailure(vendor, request, answer),
      httpCode: String(answer.status),
    });
  }
}

/** Reads a vendor answer through the core's schema, or fails with what did not fit. */
export function readAnswer<T>(context: HookContext, vendor: VendorDefinition, schema: z.ZodType<T>, answer: VendorAnswer): T {
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return parsed.data;
  // Not the body itself: a create answer carries the one-time signing secret.
  throw new NodeApiError(context.getNode(), { status: answer.status } as JsonObject, {
    message: `${vendor.name} answered in an unexpected shape`,
    description: describeMisfits(parsed.error),
  });
}

/** An error as one line for the log: a node error's message and description. */
export function describe(error: unknown): string {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return [error.message, error.description].filter(Boolean).join(' — ');
  return error instanceof Error ? error.message : String(error);
}
