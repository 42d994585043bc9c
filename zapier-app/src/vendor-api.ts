import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import type { z } from 'zod/v4';
import { describeMisfits, succeeded, toHttpRequest, vendorSaid, type RequestDescription, type SubscriptionApi, type VendorDefinition } from '../../shared';

export interface VendorAnswer {
  readonly status: number;
  readonly body: unknown;
}

type HttpRequestOptionsWithUrl = HttpRequestOptions & { url: string };

/** The connection's base URL; the field may be left empty, which means the vendor's own API. */
export function baseUrlOf(bundle: Bundle, api: SubscriptionApi): string {
  return bundle.authData.baseUrl?.trim() || api.defaultBaseUrl;
}

/** A refused call as Zapier expects it: auth problems, throttling and outages each get their own error. */
function refusal(zapier: ZObject, vendor: VendorDefinition, request: RequestDescription, response: HttpResponse<unknown>): Error {
  const { status } = response;
  const said = vendorSaid(response.data);
  if (status === 401 || status === 403) {
    return new zapier.errors.Error(
      `${vendor.name} rejected the API key (${status}). Check the API key in your ${vendor.name} connection.${said}`,
      'AuthenticationError',
      status,
    );
  }
  if (status === 429) {
    const retryAfter = Number(response.getHeader('retry-after'));
    // Zapier retries a throttled step itself, after the delay the vendor asked for.
    return new zapier.errors.ThrottledError(
      `${vendor.name} is rate limiting requests (429).${said}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  const call = `${request.method} ${request.path}`;
  if (status >= 500) return new zapier.errors.Error(`${vendor.name} is unavailable (${status}): ${call} failed on its side.${said}`, 'VendorUnavailable', status);
  return new zapier.errors.Error(`${vendor.name} refused ${call} (${status}).${said}`, 'VendorRefused', status);
}

/** Sends one request the core describes, with the connection's key, through Zapier's own client. */
export async function callVendor(
  zapier: ZObject,
  bundle: Bundle,
  vendor: VendorDefinition,
  api: SubscriptionApi,
  request: RequestDescription,
  accept: (status: number) => boolean = succeeded,
): Promise<VendorAnswer> {
  const baseUrl = baseUrlOf(bundle, api);
  const wire = toHttpRequest(baseUrl, bundle.authData.apiKey ?? '', request);
  const options: HttpRequestOptionsWithUrl & { throwForThrottlingEarly: boolean } = {
    url: wire.url,
    method: wire.method,
    headers: { ...wire.headers },
    body: wire.body,
    skipThrowForStatus: true,
    // Zapier would throw its own, vendor-less 429 error before we see the answer.
    throwForThrottlingEarly: false,
  };
  let response: HttpResponse<unknown>;
  try {
    response = await zapier.request<unknown>(options);
  } catch (error) {
    // Only a transport failure is ours to word; Zapier's own errors already say what Zapier needs.
    if (!(error instanceof Error) || error.name !== 'FetchError') throw error;
    throw new zapier.errors.Error(`Could not reach ${vendor.name} at ${baseUrl}: ${error.message}`, 'VendorUnreachable');
  }
  if (!accept(response.status)) throw refusal(zapier, vendor, request, response);
  return { status: response.status, body: response.data };
}

/** Reads an answer through the core's schema for it, or says which part did not fit. */
export function readAnswer<T>(zapier: ZObject, vendor: VendorDefinition, schema: z.ZodType<T>, answer: VendorAnswer): T {
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return parsed.data;
  throw new zapier.errors.Error(`${vendor.name} answered in an unexpected shape: ${describeMisfits(parsed.error)}`, 'UnexpectedAnswer');
}
