/**
 * What the types of a parsed event promise, checked by `npm run typecheck` (the
 * `@ts-expect-error` lines fail it the day a drifted payload is typed by its schema again)
 * and by jest at run time.
 */
import { parseEvent, VENDORS, type JsonObject, type VendorEvent } from '../../shared';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const transcript = VENDORS.convo.events['transcript.ready'].sample;

function parsedConvo(body: unknown): VendorEvent<typeof VENDORS.convo> {
  const parsed = parseEvent(VENDORS.convo, json(body));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.event;
}

describe('a parsed event', () => {
  it('is typed by its schema once narrowed on its type and on valid', () => {
    const event = parsedConvo(transcript);
    if (event.type !== 'transcript.ready' || !event.valid) throw new Error('expected a valid transcript.ready');
    const count: number = event.payload.data.segmentCount;
    expect(count).toBe(transcript.data.segmentCount);
  });

  it('is the raw JSON object when it drifted, and says so', () => {
    const event = parsedConvo({ ...transcript, data: { conversationId: 'sess_1', segmentCount: 'many' } });
    expect(event).toMatchObject({ type: 'transcript.ready', valid: false });
    if (event.type !== 'transcript.ready') throw new Error('expected transcript.ready');
    // @ts-expect-error without narrowing on `valid` the payload may not match its schema
    const unchecked: number = event.payload.data.segmentCount;
    expect(unchecked).toBe('many');
    if (event.valid) throw new Error('expected a drifted event');
    const raw: JsonObject = event.payload;
    // @ts-expect-error a drifted payload is a JSON object, not the schema's output
    const typed: number = raw.data.segmentCount;
    expect(typed).toBe('many');
    expect(raw.data).toEqual({ conversationId: 'sess_1', segmentCount: 'many' });
  });

  it('of an unknown type is never valid', () => {
    const event = parsedConvo({ event: 'conversation.archived', data: {}, timestamp: transcript.timestamp });
    expect(event).toMatchObject({ type: 'unknown', valid: false, rawType: 'conversation.archived' });
    // @ts-expect-error an unknown event cannot be valid
    const valid: true = event.valid;
    expect(valid).toBe(false);
  });

  it('is valid for every documented sample, whose schema output is the body itself', () => {
    for (const vendor of Object.values(VENDORS)) {
      for (const [name, definition] of Object.entries(vendor.events)) {
        const parsed = parseEvent(vendor, json(definition.sample));
        expect(parsed).toMatchObject({ ok: true, event: { type: name, valid: true } });
        // parseEvent hands on the body, not zod's copy: that is sound only while no schema transforms.
        expect(definition.schema.parse(definition.sample)).toEqual(definition.sample);
      }
    }
  });
});
