import type { ParseErrorCode, VerifyFailure } from '../../shared';

/** Spelled as records so that a failure added to the core and not here fails the typecheck. */
const verifyFailures: Record<VerifyFailure, true> = { missing_signature: true, malformed_signature: true, signature_mismatch: true, no_secret: true };
const parseErrors: Record<ParseErrorCode, true> = { empty_body: true, body_too_large: true, invalid_utf8: true, invalid_json: true, not_an_object: true };

/** Every reason `verify` may give for a refusal. */
export const VERIFY_FAILURES = Object.keys(verifyFailures);
/** Every reason `parseEvent` may give for a body it cannot turn into an event. */
export const PARSE_ERRORS = Object.keys(parseErrors);
