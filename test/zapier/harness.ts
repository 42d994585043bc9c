import { createAppTester, type Bundle, type ZObject } from 'zapier-platform-core';
import { triggerKey, type TriggerItem, type ZapierApp } from '../../zapier-app/src';
import { VENDOR_IDS, type VendorId } from '../../shared';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { call } from '../support/http';
import { startReceiver, type Received, type Receiver } from '../support/receiver';

/** Each vendor's app as Zapier loads it, from the folder the generator writes for it. */
export const APPS = Object.fromEntries(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  VENDOR_IDS.map((id) => [id, require(`../../zapier-app/apps/${id}/app`) as ZapierApp]),
) as Record<VendorId, ZapierApp>;

type Perform<T> = (z: ZObject, bundle: Bundle) => T | Promise<T>;

/** The app's trigger for one event, with its functions typed as Zapier calls them. */
export function triggerOf(app: ZapierApp, eventName: string) {
  const trigger = app.triggers[triggerKey(eventName)];
  if (trigger === undefined) throw new Error(`no trigger for ${eventName}`);
  return trigger.operation as unknown as {
    perform: Perform<TriggerItem[]>;
    performList: Perform<TriggerItem[]>;
    performSubscribe?: Perform<{ id: string; secret: string }>;
    performUnsubscribe?: Perform<{ id: string }>;
    sample: TriggerItem;
  };
}

/** Zapier's app tester, with the bundle loosely typed as tests build it. */
export function testerFor(app: ZapierApp) {
  const tester = createAppTester(app);
  return <T>(perform: Perform<T>, bundle: Record<string, unknown>) => tester(perform, bundle as Partial<Bundle>);
}

const CONTENT_HEADERS = new Set(['content-type', 'content-length']);
const titleCase = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());

/**
 * A delivery as Zapier hands it to a hook's `perform`: the body as text, headers CGI-style
 * (`x-convo-signature` arrives as `Http-X-Convo-Signature`, content headers unprefixed).
 */
export function zapierRawRequest(received: Pick<Received, 'headers' | 'body'>, overrides: { content?: string; drop?: string } = {}) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(received.headers)) {
    if (value === undefined || name === overrides.drop?.toLowerCase()) continue;
    headers[CONTENT_HEADERS.has(name) ? titleCase(name) : `Http-${titleCase(name)}`] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: 'POST', querystring: '', headers, content: overrides.content ?? received.body.toString('utf8') };
}

/** Zapier's field paths of an item (`data__entity__phones[]phone`), to compare shapes. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const objects = value.filter((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
    return [prefix, ...new Set(objects.flatMap((item) => keyPaths(item, `${prefix}[]`)))];
  }
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix === '' || prefix.endsWith('[]') ? `${prefix}${key}` : `${prefix}__${key}`));
}

/** Collects what the app wrote with `z.console.log`, which Zapier shows in the Zap's log. */
export function captureLog() {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return { lines, restore: () => spy.mockRestore() };
}

/** What a refused delivery leaves: the HaltedError the Zap history shows, and the log lines. */
export async function refusalOf(perform: () => Promise<unknown>): Promise<{ halted: string; log: string[] }> {
  const log = captureLog();
  try {
    await perform();
  } catch (error) {
    if (error instanceof Error && error.name === 'HaltedError') return { halted: error.message, log: log.lines };
    throw error;
  } finally {
    log.restore();
  }
  throw new Error('the delivery was not refused');
}

export interface Loopback {
  sim: RunningSimulator;
  /** Stands in for the Zap's hook URL: keeps every delivery byte for byte. */
  receiver: Receiver;
}

/** The simulator and a receiver on loopback for the suite, both fresh for every test. */
export function loopback(): Loopback {
  const env = {} as Loopback;
  beforeAll(async () => {
    env.sim = await startSimulator();
    env.receiver = await startReceiver();
  });
  afterAll(async () => {
    await env.receiver.close();
    await env.sim.close();
  });
  beforeEach(async () => {
    await call('POST', `${env.sim.url}/_control/reset`);
    env.receiver.received.length = 0;
  });
  return env;
}

/** Fires one event at the vendor's webhooks, waits until it was delivered and returns the delivery. */
export async function fireAndCatch({ sim, receiver }: Loopback, vendorId: string, event: string): Promise<Received> {
  const before = receiver.received.length;
  const fired = await call('POST', `${sim.url}/_control/fire`, { vendor: vendorId, event, wait: true });
  expect(fired.body.attempts).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
  const delivery = receiver.received[before];
  if (delivery === undefined) throw new Error('nothing was delivered');
  return delivery;
}
