// Measures the heap one dedupe key costs in the trigger's process-wide store, for the figure
// quoted in nodes/trigger/dedupe.ts. The keys come from the core's
// parseEvent, as a delivery makes them; the heap needs collecting between readings:
//   node --expose-gc --import tsx scripts/measure-dedupe-memory.ts
import { randomUUID } from 'node:crypto';
import { DedupeStore } from '../nodes/trigger/dedupe';
import { freshSample, parseEvent, VENDORS, type VendorDefinition } from '../shared';

const KEYS = 50_000;
const TRIGGERS = 100;

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('Run with node --expose-gc so the heap can be measured after a collection.');
const collectGarbage: () => void = collect;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Scopes as n8n's ids make them: a 16-character workflow id, a UUID node id and the mode. */
const scopes = Array.from({ length: TRIGGERS }, (_, index) => `${index.toString(36).padStart(16, 'w')}:${randomUUID()}:webhook`);

/** Konver keys carry the event's UUID; Konvox has no event id, so its keys are a digest of the body. */
const deliveries: Array<[string, VendorDefinition, string]> = [
  ['vendor event id (Konver)', VENDORS.konver, 'person.created'],
  ['SHA-256 digest (Konvox)', VENDORS.konvox, 'contact.replied'],
];

for (const [shape, vendor, event] of deliveries) {
  const bodies = Array.from({ length: KEYS }, (_, index) =>
    Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date(Date.UTC(2026, 0, 1) + index) }))),
  );
  const store = new DedupeStore({ verified: KEYS, unverified: 1 });
  const before = heapUsed();
  bodies.forEach((body, index) => {
    const parsed = parseEvent(vendor, body);
    if (!parsed.ok) throw new Error(`The ${vendor.id} sample ${event} did not parse: ${parsed.message}`);
    store.record(scopes[index % TRIGGERS]!, parsed.dedupeKey, true);
  });
  const after = heapUsed();
  if (store.size !== KEYS) throw new Error(`Expected ${KEYS} distinct keys in the store, found ${store.size}.`);
  console.log(`${shape}: ${Math.round((after - before) / KEYS)} bytes a key (${KEYS} keys over ${TRIGGERS} triggers)`);
}
