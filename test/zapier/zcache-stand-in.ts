/**
 * A stand-in for Zapier's cache service behind `z.cache`, and the one part of these tests that is
 * not Zapier's own: the apps run in zapier-platform-core's app tester, whose z.cache
 * (create-cache.js) runs as is and calls its RPC client as `rpc('zcache_set', key, json, ttl,
 * scope, nx)`, `rpc('zcache_get', key, scope)` and `rpc('zcache_delete', key, scope)`. The tester's
 * own stand-in (`zcacheTestObj`) ignores ttl, scope and nx and answers every set with true; this
 * one keeps entries per scope (an authentication is known by its authData, where Zapier uses the
 * authentication's id), honours ttl, and answers an `nx` set of a present key with null, as
 * Redis's SET NX does. Every other RPC method goes to the real client.
 */
type RpcClient = (method: string, ...params: unknown[]) => Promise<unknown>;
interface RpcEvent {
  bundle?: { authData?: unknown };
}

interface Entry {
  readonly value: string;
  readonly ttl: number | null;
  readonly expiresAt: number;
}

const realRpcClient = jest.requireActual<(event: RpcEvent) => RpcClient>('zapier-platform-core/src/tools/create-rpc-client');

export const zcache = {
  entries: new Map<string, Entry>(),
  /** Replaces every cache answer while set: throw in it, or return what a broken service might. */
  fault: undefined as (() => unknown) | undefined,
  reset() {
    this.entries.clear();
    this.fault = undefined;
  },
  /** The entries whose key contains `fragment`, as the app set them. */
  matching(fragment: string): Entry[] {
    return [...this.entries].filter(([key]) => key.includes(fragment)).map(([, entry]) => entry);
  },
};

function scoped(event: RpcEvent, key: unknown, scope: unknown): string {
  const within = Array.isArray(scope) ? scope : [];
  const auth = within.includes('auth') ? `auth=${JSON.stringify(event.bundle?.authData ?? {})}|` : '';
  const user = within.includes('user') ? 'user=tester|' : '';
  return `${auth}${user}${String(key)}`;
}

function live(key: string): Entry | undefined {
  const entry = zcache.entries.get(key);
  if (entry !== undefined && entry.expiresAt <= Date.now()) zcache.entries.delete(key);
  return zcache.entries.get(key);
}

function answer(event: RpcEvent, method: string, params: unknown[]): unknown {
  if (zcache.fault !== undefined) return zcache.fault();
  if (method === 'zcache_get') return live(scoped(event, params[0], params[1]))?.value ?? null;
  if (method === 'zcache_delete') return zcache.entries.delete(scoped(event, params[0], params[1]));
  if (method !== 'zcache_set') throw new Error(`Unexpected method '${method}'`);
  const [key, value, ttl, scope, nx] = params;
  const where = scoped(event, key, scope);
  if (nx === true && live(where) !== undefined) return null;
  const seconds = typeof ttl === 'number' ? ttl : null;
  zcache.entries.set(where, { value: String(value), ttl: seconds, expiresAt: seconds === null ? Infinity : Date.now() + seconds * 1000 });
  return true;
}

/** Takes the place of zapier-platform-core's create-rpc-client.js (see the jest.mock in the tests). */
export function createRpcClient(event: RpcEvent): RpcClient {
  const real = realRpcClient(event);
  return async (method, ...params) => (method.startsWith('zcache_') ? answer(event, method, params) : real(method, ...params));
}
