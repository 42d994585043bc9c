import type { HeaderMap } from './headers';
import type { JsonObject } from './json';
import { checkBodySize, parseSizedEvent, type ParseErrorCode, type ParseResult } from './parse-event';
import { staleEventMessage, type ReplayFailure, type ReplayWindow } from './replay';
import { verify, type Secret, type VerifyFailure } from './signature';
import type { VendorDefinition } from './vendor-definition';

export interface ReceiveOptions {
  readonly secrets: readonly Secret[];
  /** Replaces the vendor's signature header where the doc is silent or the account differs. */
  readonly signatureHeader?: string;
  /** Only an explicit, visible user choice may turn verification off. */
  readonly verification?: 'required' | 'disabled';
  readonly maxBodyBytes?: number;
  /** Absent: no check, for callers with no clock to trust; the hosts always pass one. */
  readonly replayWindow?: ReplayWindow;
}

/** The HTTP answer a host gives a rejected delivery, and why. */
export type Rejection =
  | { readonly ok: false; readonly status: 401; readonly reason: VerifyFailure | ReplayFailure; readonly message: string }
  | { readonly ok: false; readonly status: 400 | 413; readonly reason: ParseErrorCode; readonly message: string };

export type Receipt<V extends VendorDefinition> =
  | (Extract<ParseResult<V>, { ok: true }> & { readonly verified: boolean })
  | Rejection;

/**
 * One delivery from raw request to typed event: size, then signature, then body, then its signed
 * timestamp. The size check comes first so an oversized forgery costs no hashing; nothing is
 * parsed before its signature passed, unless the user visibly chose not to verify (`verified`
 * is then false); the timestamp is read only once the signature vouches for it.
 */
export function receive<V extends VendorDefinition>(
  vendor: V,
  raw: Uint8Array,
  headers: HeaderMap,
  options: ReceiveOptions,
): Receipt<V> {
  const sizeFailure = checkBodySize(raw, options.maxBodyBytes);
  if (sizeFailure?.error === 'body_too_large') return { ok: false, status: 413, reason: sizeFailure.error, message: sizeFailure.message };
  const verified = options.verification !== 'disabled';
  if (verified) {
    const scheme = options.signatureHeader ? { ...vendor.signature, header: options.signatureHeader } : vendor.signature;
    const check = verify(scheme, raw, headers, options.secrets);
    if (!check.ok) return { ok: false, status: 401, reason: check.reason, message: check.message };
  }
  // An empty body is refused after the signature check, as any other unusable body is.
  if (sizeFailure !== undefined) return { ok: false, status: 400, reason: sizeFailure.error, message: sizeFailure.message };
  const parsed = parseSizedEvent(vendor, raw, headers);
  if (!parsed.ok) return { ok: false, status: 400, reason: parsed.error, message: parsed.message };
  const stale = verified && options.replayWindow !== undefined ? staleEventMessage(vendor, parsed.event.payload as JsonObject, options.replayWindow) : undefined;
  if (stale !== undefined) return { ok: false, status: 401, reason: 'stale_event', message: stale };
  // Named fields rather than a spread: this object is built once per delivery, and a spread costs several times more.
  const { event, body, eventType, dedupeKey, issues } = parsed;
  return { ok: true, event, body, eventType, dedupeKey, issues, verified };
}
