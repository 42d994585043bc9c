import { ObservableObject, type IDataObject, type INode, type WorkflowExecuteMode } from 'n8n-workflow';
import { DedupeStore, isRepeatedDelivery } from '../../../nodes/trigger/dedupe';
import { seenBefore } from '../../../nodes/trigger/static-data';
import { deliveryHandler } from '../../../nodes/trigger/webhook';
import { deliveryHeaders, VENDORS } from '../../../shared';
import { deliveryContext } from '../../support/delivery-context';

const digest = (index: number) => `konvox:sha256:${index.toString(16).padStart(64, '0')}`;

describe('the process-wide dedupe store', () => {
  it('never holds more keys than its budgets, however many triggers flood it, and always knows the key just recorded', () => {
    const store = new DedupeStore();
    const cap = store.budgets.verified + store.budgets.unverified;
    const flood = 2 * cap;
    let largest = 0;
    let fresh = 0;
    let repeated = 0;
    for (let index = 0; index < flood; index += 1) {
      const scope = `workflow-${index % 1000}:node:webhook`;
      const verified = index % 4 !== 0;
      if (!store.record(scope, digest(index), verified)) fresh += 1;
      if (store.record(scope, digest(index), verified)) repeated += 1;
      largest = Math.max(largest, store.size);
    }
    expect({ largest, fresh, repeated }).toEqual({ largest: cap, fresh: flood, repeated: flood });
  });

  it('keeps verified keys through a flood of unverified ones', () => {
    const store = new DedupeStore({ verified: 100, unverified: 10 });
    for (let index = 0; index < 100; index += 1) store.record(`trigger-${index % 7}`, digest(index), true);
    let largest = 0;
    for (let index = 100; index < 10_100; index += 1) {
      store.record(`trigger-${index % 50}`, digest(index), false);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(110);
    for (let index = 0; index < 100; index += 1) expect(store.record(`trigger-${index % 7}`, digest(index), true)).toBe(true);
    expect(store.record('trigger-0', digest(100), false)).toBe(false);
  });

  it('evicts the oldest key of the process, whichever trigger recorded it', () => {
    const store = new DedupeStore({ verified: 3, unverified: 1 });
    store.record('quiet', 'a', true);
    store.record('busy', 'b', true);
    store.record('busy', 'c', true);
    store.record('other', 'd', true);
    expect([store.record('busy', 'b', true), store.record('busy', 'c', true), store.record('other', 'd', true)]).toEqual([true, true, true]);
    expect(store.record('quiet', 'a', true)).toBe(false);
  });

  it('counts an unverified delivery of a verified key as a repeat, but never the other way round', () => {
    const store = new DedupeStore({ verified: 10, unverified: 10 });
    store.record('trigger', 'signed', true);
    expect(store.record('trigger', 'signed', false)).toBe(true);
    store.record('trigger', 'unsigned', false);
    expect(store.record('trigger', 'unsigned', true)).toBe(false);
    expect(store.record('trigger', 'unsigned', true)).toBe(true);
  });

  it('keeps each trigger’s keys apart', () => {
    const store = new DedupeStore({ verified: 10, unverified: 10 });
    store.record('workflow-1:node-1:webhook', 'key', true);
    expect(store.record('workflow-1:node-1:manual', 'key', true)).toBe(false);
    expect(store.record('workflow-1:node-2:webhook', 'key', true)).toBe(false);
  });

  it('refuses a budget that could hold no key', () => {
    expect(() => new DedupeStore({ verified: 0, unverified: 10 })).toThrow('A dedupe budget holds a whole number of keys, at least 1; got 0.');
  });
});

/** The context parts dedupe reads: which trigger, in which mode, and its static data. */
function trigger(nodeId: string, mode: WorkflowExecuteMode, staticData: IDataObject = {}) {
  const node: INode = { id: nodeId, name: 'Konvox Trigger', type: 'konvoxTrigger', typeVersion: 1.1, position: [0, 0], parameters: {} };
  return {
    getWorkflow: () => ({ id: 'workflow-1', active: true }),
    getNode: () => node,
    getMode: () => mode,
    getWorkflowStaticData: () => staticData,
  };
}

describe('dedupe of a trigger’s deliveries', () => {
  it('separates test and production deliveries of one trigger', () => {
    expect(isRepeatedDelivery(trigger('modes', 'webhook'), 'key', true)).toBe(false);
    expect(isRepeatedDelivery(trigger('modes', 'manual'), 'key', true)).toBe(false);
    expect(isRepeatedDelivery(trigger('modes', 'webhook'), 'key', true)).toBe(true);
  });

  it('still knows a verified key in memory after more unverified deliveries than the process keeps', () => {
    // Fresh static data each time: only the process's memory can answer.
    expect(isRepeatedDelivery(trigger('signed', 'webhook'), 'kept', true)).toBe(false);
    const flood = new DedupeStore().budgets.unverified + 1;
    for (let index = 0; index < flood; index += 1) isRepeatedDelivery(trigger(`unsigned-${index % 100}`, 'webhook'), digest(index), false);
    expect(isRepeatedDelivery(trigger('signed', 'webhook'), 'kept', true)).toBe(true);
    expect(isRepeatedDelivery(trigger('unsigned-0', 'webhook'), digest(0), false)).toBe(false);
  });
});

describe('a Konvox trigger running without verification', () => {
  const vendor = VENDORS.konvox;
  const body = Buffer.from(JSON.stringify(vendor.events['contact.replied'].sample));
  const deliver = (headers: Record<string, string>, credential: IDataObject) => {
    // Fresh static data each time: only the process's memory can answer.
    const { context } = deliveryContext({ vendor, nodeId: 'toggled', body, headers, getCredentials: async () => credential });
    return deliveryHandler(vendor).call(context);
  };

  it('records its deliveries as unverified, so they never suppress the same delivery signed', async () => {
    const unsigned = await deliver({}, { secret: 'whsec_konvox', verification: 'disabled' });
    expect(unsigned.workflowData).toHaveLength(1);
    const signed = await deliver(deliveryHeaders(vendor, body, 'whsec_konvox', undefined), { secret: 'whsec_konvox' });
    expect(signed.workflowData).toHaveLength(1);
  });
});

describe('dedupe keys in static data', () => {
  const ring = (staticData: IDataObject) => staticData.dedupe as { keys: string[]; next: number };

  it('keeps the last 1 000 keys in a ring written one slot at a time', () => {
    const staticData: IDataObject = {};
    for (let index = 0; index < 1000; index += 1) seenBefore(staticData, digest(index));
    const { keys } = ring(staticData);
    expect(ring(staticData)).toEqual({ keys: expect.any(Array), next: 0 });
    expect(seenBefore(staticData, digest(1000))).toBe(false);
    expect(ring(staticData).keys).toBe(keys);
    expect(ring(staticData)).toMatchObject({ next: 1 });
    expect(keys).toHaveLength(1000);
    expect(seenBefore(staticData, digest(0))).toBe(false);
    expect([digest(1), digest(999), digest(1000)].map((key) => seenBefore(staticData, key))).toEqual([false, true, true]);
  });

  it('starts afresh from a ring of another shape, as an imported workflow may hold', () => {
    for (const dedupe of [{ keys: 'x', next: 0 }, { keys: [], next: 1000 }, { keys: [], next: -1 }, ['a'], null]) {
      const staticData: IDataObject = { dedupe } as IDataObject;
      expect(seenBefore(staticData, digest(0))).toBe(false);
      expect(ring(staticData)).toEqual({ keys: [expect.any(String)], next: 1 });
    }
  });

  it('stores a 22-character digest of each key, never the key itself', () => {
    const staticData: IDataObject = {};
    const key = `konver:sha256:${'ab'.repeat(32)}`;
    seenBefore(staticData, key);
    expect(ring(staticData).keys).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]);
    expect(JSON.stringify(staticData)).not.toContain('ab'.repeat(32));
    expect(seenBefore(staticData, key)).toBe(true);
  });

  it('marks static data changed when a slot is written, as n8n loads it from the database', () => {
    // n8n wraps loaded static data in ObservableObject and saves it only when marked changed.
    const saved: IDataObject = {};
    seenBefore(saved, digest(0));
    const loaded = ObservableObject.create({ 'node:Konvox Trigger': JSON.parse(JSON.stringify(saved)) as IDataObject });
    const staticData = loaded['node:Konvox Trigger'] as IDataObject;
    expect(seenBefore(staticData, digest(0))).toBe(true);
    expect(loaded.__dataChanged).toBe(false);
    expect(seenBefore(staticData, digest(1))).toBe(false);
    expect(loaded.__dataChanged).toBe(true);
  });
});
