import type { Bundle, ZObject } from 'zapier-platform-core';

/** Every key this app keeps in z.cache starts so, and no other use of the cache can collide with it. */
const KEY_PREFIX = 'convhooks';

/** Whose a claim is: this run's, an earlier run's, or unknown because the cache failed or answered oddly. */
export type ClaimOutcome = { readonly kind: 'won' } | { readonly kind: 'lost' } | { readonly kind: 'unknown'; readonly why: string };

/**
 * What tells this Zap's deliveries apart from another Zap's on the same connection, since z.cache
 * scopes no narrower than the connection: the vendor subscription of a REST hook, else the Zap's
 * id where Zapier passes one (static hooks); undefined where neither is known.
 */
export function zapOf(subscriptionId: string | undefined, bundle: Bundle): string | undefined {
  return subscriptionId ?? bundle.meta?.zap?.id;
}

/**
 * Sets `key` for this connection only where it is absent (`nx`), atomically, for `ttlSeconds`.
 * Zapier documents no answer for `nx`; z.cache passes the cache service's answer through, typed
 * `boolean | null`: `true` when written, `null` when the key was there (as Redis's SET NX answers),
 * `false` when Zapier's rate limit refused the write. Anything but `true` or `null` decides nothing.
 */
export async function claim(zapier: ZObject, key: string, ttlSeconds: number): Promise<ClaimOutcome> {
  try {
    const answer: unknown = await zapier.cache.set(`${KEY_PREFIX}:${key}`, true, ttlSeconds, ['auth'], true);
    if (answer === true) return { kind: 'won' };
    if (answer === null) return { kind: 'lost' };
    return { kind: 'unknown', why: `z.cache answered ${JSON.stringify(answer) ?? String(answer)}` };
  } catch (error) {
    return { kind: 'unknown', why: `z.cache failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
