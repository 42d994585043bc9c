import {
  NodeApiError,
  type IHookFunctions,
  type IHttpRequestMethods,
  type JsonObject,
} from 'n8n-workflow';
import type { z } from 'zod/v4';
import type { RequestDescription, VendorDefinition } from '../../shared';
import { credentialName, type ApiCredentials } from './credential-names';

type HookContext = Pick<IHookFunctions, 'getCredentials' | 'getNode' | 'helpers'>;

export interface VendorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function describeFailure(vendor: VendorDefinition, request: RequestDescription, answer: VendorAnswer) {
  const call = `${request.method} ${request.path}`;
  const detail = typeof answer.body === 'object' && answer.body !== null && 'error' in answer.body ? ` It said: ${String(answer.body.error)}` : '';
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

/** Sends a vendor API request described by the core, authenticated by the node's credential. */
export async function callVendor(
  context: HookContext,
  vendor: VendorDefinition,
  request: RequestDescription,
  accept: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<VendorAnswer> {
  const name = credentialName(vendor);
  const credentials = (await context.getCredentials(name)) as unknown as ApiCredentials;
  const url = new URL(credentials.baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  let response;
  try {
    response = await context.helpers.httpRequestWithAuthentication.call(context as IHookFunctions, name, {
      method: request.method as IHttpRequestMethods,
      url: url.toString(),
      body: request.body as JsonObject | undefined,
      json: true,
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
    });
  } catch (error) {
    throw new NodeApiError(context.getNode(), { message: String(error) } as JsonObject, {
      message: `Could not reach ${vendor.name} at ${credentials.baseUrl}`,
      description: error instanceof Error ? error.message : String(error),
    });
  }
  const answer: VendorAnswer = {
    status: response.statusCode as number,
    body: response.body as unknown,
    headers: (response.headers ?? {}) as Record<string, string>,
  };
  if (!accept(answer.status)) {
    throw new NodeApiError(context.getNode(), { status: answer.status, body: answer.body } as JsonObject, {
      ...describeFailure(vendor, request, answer),
      httpCode: String(answer.status),
    });
  }
  return answer;
}

/** Reads a vendor answer through the core's schema, or fails with what did not fit. */
export function readAnswer<T>(context: HookContext, vendor: VendorDefinition, schema: z.ZodType<T>, answer: VendorAnswer): T {
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return parsed.data;
  throw new NodeApiError(context.getNode(), { body: answer.body } as JsonObject, {
    message: `${vendor.name} answered in an unexpected shape`,
    description: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
  });
}
