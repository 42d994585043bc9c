import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { rememberBounded, triggerScope } from './memory';
import { heldSubscriptions, holdSubscription, type HeldSubscription } from './static-data';

type NodeContext = Pick<IHookFunctions | IWebhookFunctions, 'getNode' | 'getWorkflow' | 'getMode'>;

interface InMemory extends HeldSubscription {
  readonly createdAt: number;
  /** When this process created it; undefined for a record learnt from a copy of static data. */
  readonly createdHere?: number;
  /** Made for the editor's test listening: only test deliveries may use it while unsaved. */
  readonly manual: boolean;
}

/** Per trigger and URL, the newest subscription this process holds: its own before n8n saves them, and newer records than a stale copy's. */
const inMemory = new Map<string, Map<string, InMemory>>();
/** Far longer than an activation takes to save. */
const UNSAVED_FOR_AT_MOST_MS = 10 * 60_000;

function heldFor(context: NodeContext): Map<string, InMemory> {
  const scope = triggerScope(context);
  const byUrl = inMemory.get(scope) ?? new Map<string, InMemory>();
  rememberBounded(inMemory, scope, byUrl, 1000);
  return byUrl;
}

export function holdCreated(context: NodeContext, url: string, created: HeldSubscription & { readonly createdAt: number }, now = Date.now()): void {
  heldFor(context).set(url, { ...created, createdHere: now, manual: context.getMode() === 'manual' });
}

/** After a removal: what was removed must verify nothing more. */
export function dropHeld(context: NodeContext, url: string): void {
  inMemory.get(triggerScope(context))?.delete(url);
}

/**
 * What this process holds that the copy lacks: a newer record for a URL, or one created here that
 * is not saved yet; a URL the copy holds nothing else for stays empty (its subscription was removed).
 */
function heldOnlyHere(context: NodeContext, staticData: IDataObject, now: number): [string, InMemory][] {
  const stored = heldSubscriptions(staticData);
  const byUrl = heldFor(context);
  const manual = context.getMode() === 'manual';
  const onlyHere: [string, InMemory][] = [];
  for (const [url, record] of stored) {
    const entry = byUrl.get(url);
    if (record.createdAt !== undefined && (entry === undefined || entry.createdAt < record.createdAt)) byUrl.set(url, { ...record, createdAt: record.createdAt, manual: false });
  }
  for (const [url, held] of byUrl) {
    const unsaved = held.createdHere !== undefined && now - held.createdHere <= UNSAVED_FOR_AT_MOST_MS;
    // Past that, the plain secret goes: the record is opened from its sealed copy like any other.
    const entry = unsaved || held.secret === undefined ? held : { id: held.id, sealedSecret: held.sealedSecret, createdAt: held.createdAt, manual: held.manual };
    if (entry !== held) byUrl.set(url, entry);
    const record = stored.get(url);
    const newer = record !== undefined && record.id !== entry.id && (record.createdAt ?? 0) < entry.createdAt;
    if (record === undefined ? unsaved && held.manual === manual : newer) onlyHere.push([url, entry]);
  }
  return onlyHere;
}

/** The subscriptions a request's copy holds, and those this process holds beyond it. */
export function heldWith(context: NodeContext, staticData: IDataObject, now = Date.now()): HeldSubscription[] {
  return [...heldSubscriptions(staticData).values(), ...heldOnlyHere(context, staticData, now).map(([, entry]) => entry)];
}

/** Puts what this process holds into the copy n8n is about to write back, where the copy lacks it. */
export function keepHeld(context: NodeContext, staticData: IDataObject, now = Date.now()): void {
  for (const [url, entry] of heldOnlyHere(context, staticData, now)) holdSubscription(staticData, url, entry);
}
