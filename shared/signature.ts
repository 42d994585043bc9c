import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValues, type HeaderMap } from './headers';

export type DigestEncoding = 'hex' | 'base64';

/** How one vendor signs a delivery: HMAC-SHA256 over the raw body, in one header. */
export interface SignatureScheme {
  /** Header that carries the signature, as the vendor names it. */
  readonly header: string;
  /** Encoding `sign()` produces; `verify()` accepts hex and base64 whatever this says. */
  readonly encoding: DigestEncoding;
  /** Set where the vendor's doc is silent, so the guess is stated. */
  readonly assumption?: string;
  /** The doc names no header: users may name the one their account uses. */
  readonly headerAssumed?: boolean;
  /** The doc describes no signature at all: an account may not sign, so running unverified is offered, visibly. */
  readonly mayBeUnsigned?: boolean;
}

export type VerifyFailure = 'missing_signature' | 'malformed_signature' | 'signature_mismatch' | 'no_secret';

export type VerifyResult =
  | { readonly ok: true; /** Position in `secrets` of the one that matched (rotation). */ readonly secretIndex: number }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly message: string };

const DIGEST_BYTES = 32;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;
const ALGORITHM_PREFIX = /^sha256=/i;

const FAILURE_MESSAGES: Record<VerifyFailure, (header: string) => string> = {
  missing_signature: (header) => `The request has no ${header} header.`,
  malformed_signature: (header) =>
    `The ${header} header is not one HMAC-SHA256 digest (64 hex characters or 44 base64 characters, optionally prefixed "sha256=").`,
  signature_mismatch: (header) => `The ${header} header does not match the body signed with any configured secret.`,
  no_secret: () => 'No signing secret is configured, so the request cannot be verified.',
};

function fail(reason: VerifyFailure, header: string): VerifyResult {
  return { ok: false, reason, message: FAILURE_MESSAGES[reason](header) };
}

/**
 * Decodes one signature header value into the 32 digest bytes, or undefined when the value
 * is anything but exactly one well-formed digest: the strict grammar is what turns a joined
 * duplicate header or trailing junk into a clear "malformed" answer rather than a mismatch.
 */
export function decodeSignature(value: string): Buffer | undefined {
  const digest = value.trim().replace(ALGORITHM_PREFIX, '');
  if (HEX_DIGEST.test(digest)) return Buffer.from(digest, 'hex');
  if (BASE64_DIGEST.test(digest)) {
    const bytes = Buffer.from(digest, 'base64');
    // Only the canonical spelling: non-zero padding bits would let two strings mean one digest.
    return bytes.length === DIGEST_BYTES && bytes.toString('base64') === digest ? bytes : undefined;
  }
  return undefined;
}

/** A signing secret as the vendor shows it (text), or raw key bytes. */
export type Secret = string | Uint8Array;

function isUsable(secret: unknown): secret is Secret {
  return (typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0;
}

function hmac(secret: Secret, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** The header value a vendor would send for `body`. */
export function sign(scheme: SignatureScheme, body: Uint8Array, secret: Secret): string {
  return hmac(secret, body).toString(scheme.encoding);
}

/**
 * Checks the vendor's signature over the raw request bytes against every secret (rotation).
 * Never throws: every hostile input maps to a typed failure.
 */
export function verify(
  scheme: SignatureScheme,
  body: Uint8Array,
  headers: HeaderMap,
  secrets: readonly Secret[],
): VerifyResult {
  let usable = 0;
  for (const secret of secrets) if (isUsable(secret)) usable += 1;
  if (usable === 0) return fail('no_secret', scheme.header);
  const values = headerValues(headers, scheme.header);
  if (values.length === 0) return fail('missing_signature', scheme.header);
  const given = values.length === 1 ? decodeSignature(values[0] ?? '') : undefined;
  if (given === undefined) return fail('malformed_signature', scheme.header);
  let matched = -1;
  // Every secret is tried, so timing does not reveal which one is current.
  for (let index = 0; index < secrets.length; index += 1) {
    const secret = secrets[index];
    if (isUsable(secret) && timingSafeEqual(hmac(secret, body), given) && matched < 0) matched = index;
  }
  return matched >= 0 ? { ok: true, secretIndex: matched } : fail('signature_mismatch', scheme.header);
}
