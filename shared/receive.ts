import type { HeaderMap } from './headers';
import { checkBodySize, parseEvent, type ParseErrorCode, type ParseResult } from './parse-event';
import { verify, type Secret, type VerifyFailure } from './signature';
import type { VendorDefinition } from './vendor-definition';

export interface ReceiveOptions {
  readonly secrets: readonly Secret[];
  /** Replaces the vendor's signature header where the doc is silent or the account differs. */
  readonly signatureHeader?: string;
  /** Only an explicit, visible user choice may turn verification off. */
  readonly verification?: 'required' | 'disabled';
  readonly maxBodyBytes?: number;
}

/** The HTTP answer a host gives a rejected delivery, and why. */
export type Rejection =
  | { readonly ok: false; readonly status: 401; readonly reason: VerifyFailure; readonly message: string }
  | { readonly ok: false; readonly status: 400 | 413; readonly reason: ParseErrorCode; readonly message: string };

export type Receipt<V extends VendorDefinition> =
  | (Extract<ParseResult<V>, { ok: true }> & { readonly verified: boolean })
  | Rejection;

/**
 * One delivery from raw request to typed event: size, then signature, then body. The size
 * check comes first so an oversized forgery costs no hashing; nothing is parsed before its
 * signature passed, unless the user visibly chose not to verify (`verified` is then false).
 */
export function receive<V extends VendorDefinition>(
  vendor: V,
  raw: Uint8Array,
  headers: HeaderMap,
  options: ReceiveOptions,
): Receipt<V> {
  const tooLarge = checkBodySize(raw, options.maxBodyBytes);
  if (tooLarge?.error === 'body_too_large') return { ok: false, status: 413, reason: tooLarge.error, message: tooLarge.message };
  const verified = options.verification !== 'disabled';
  if (verified) {
    const scheme = options.signatureHeader ? { ...vendor.signature, header: options.signatureHeader } : vendor.signature;
    const check = verify(scheme, raw, headers, options.secrets);
    if (!check.ok) return { ok: false, status: 401, reason: check.reason, message: check.message };
  }
  const parsed = parseEvent(vendor, raw, { headers, maxBodyBytes: options.maxBodyBytes });
  if (!parsed.ok) return { ok: false, status: 400, reason: parsed.error, message: parsed.message };
  return { ...parsed, verified };
}
