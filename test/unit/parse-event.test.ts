import fc from 'fast-check';
import { eventFields, eventJsonSchema, parseEvent, VENDORS, type Vendor, type VendorDefinition } from '../../shared';
import { PARSE_ERRORS } from '../support/failures';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseEvent', () => {
  it('types the event by its event type so callers can narrow on it', () => {
    const parsed = parseEvent(VENDORS.konver, json(VENDORS.konver.events['person.created'].sample));
    if (!parsed.ok || parsed.event.type !== 'person.created' || !parsed.event.valid) throw new Error('expected a valid person.created');
    // Compiles only because the union narrowed to the person schema.
    expect(parsed.event.payload.data.entity.phones[0]?.phone).toBe('+494915734630219');
  });

  it('keeps fields the doc does not list', () => {
    const body = { ...VENDORS.convo.events['transcript.ready'].sample, extra: { nested: [1] } };
    const parsed = parseEvent(VENDORS.convo, json(body));
    expect(parsed).toMatchObject({ ok: true, issues: [], event: { payload: { extra: { nested: [1] } } } });
  });

  it('accepts every spelling of the Kolvera event type field', () => {
    for (const field of ['event', 'type', 'eventType']) {
      const parsed = parseEvent(VENDORS.kolvera, json({ [field]: 'meeting.booked', data: {} }));
      expect(parsed).toMatchObject({ ok: true, issues: [], event: { type: 'meeting.booked' } });
    }
  });

  it('flags a Kolvera body whose spellings disagree', () => {
    const parsed = parseEvent(VENDORS.kolvera, json({ event: 'meeting.booked', type: 'meeting.completed', data: {} }));
    expect(parsed).toMatchObject({ ok: true, event: { type: 'meeting.booked' }, issues: [{ path: 'type' }] });
  });

  it('enforces the size limit', () => {
    const body = json({ event: 'webhook.test', data: { message: 'x'.repeat(100) } });
    expect(parseEvent(VENDORS.convo, body, { maxBodyBytes: 50 })).toMatchObject({ ok: false, error: 'body_too_large' });
    expect(parseEvent(VENDORS.convo, body, { maxBodyBytes: body.length })).toMatchObject({ ok: true });
  });

  it('never throws on arbitrary bytes, and always answers ok or a typed error', () => {
    const vendors = Object.values(VENDORS) as Vendor[];
    fc.assert(
      fc.property(
        fc.constantFrom(...vendors),
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((text) => Buffer.from(text)), fc.jsonValue().map(json)),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))),
        (vendor, bytes, headers) => {
          const parsed = parseEvent(vendor, bytes, { headers });
          if (parsed.ok) {
            expect(Array.isArray(parsed.issues)).toBe(true);
            expect(parsed.dedupeKey.startsWith(`${vendor.id}:`)).toBe(true);
            // Valid only where a documented event's schema accepted the body.
            const events: VendorDefinition['events'] = vendor.events;
            const definition = parsed.event.type === 'unknown' ? undefined : events[parsed.event.type];
            expect(parsed.event.valid).toBe(definition?.schema.safeParse(parsed.body).success ?? false);
          } else expect(PARSE_ERRORS).toContain(parsed.error);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never lets a key reach Object.prototype, however the object is nested', () => {
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype', 'a');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(tree, (data) => {
        const text = `{"event":"webhook.test","data":${JSON.stringify(data).replace(/"a":/g, '"__proto__":')}}`;
        const parsed = parseEvent(VENDORS.convo, Buffer.from(text));
        expect(parsed.ok).toBe(true);
        const seen = JSON.stringify(parsed.ok ? parsed.event.payload : null);
        expect(seen).not.toMatch(/"(__proto__|constructor|prototype)":/);
        expect(({} as Record<string, unknown>).a).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('dedupe keys', () => {
  it('use the vendor event id where the vendor sends one', () => {
    const sample = VENDORS.konver.events['call_list.created'].sample;
    const parsed = parseEvent(VENDORS.konver, json(sample));
    expect(parsed).toMatchObject({ ok: true, dedupeKey: `konver:call_list.created:${sample.id}` });
  });

  it('tell apart two events the Konver doc gives one id (created and updated)', () => {
    const keys = (['company.created', 'company.updated'] as const).map((name) => {
      const parsed = parseEvent(VENDORS.konver, json(VENDORS.konver.events[name].sample));
      return parsed.ok ? parsed.dedupeKey : name;
    });
    expect(new Set(keys).size).toBe(2);
  });

  it('fall back to a digest of the raw bytes: equal for a retry, different for another event', () => {
    const sample = VENDORS.konvox.events['enrollment.created'].sample;
    const key = (body: Buffer) => {
      const parsed = parseEvent(VENDORS.konvox, body);
      return parsed.ok ? parsed.dedupeKey : parsed.error;
    };
    const first = key(json(sample));
    expect(first).toMatch(/^konvox:sha256:[0-9a-f]{64}$/);
    expect(key(json(sample))).toBe(first);
    expect(key(json({ ...sample, event: 'enrollment.completed' }))).not.toBe(first);
  });

  it('never take an id the doc does not show as the event id: two Kolvera updates of one contact, same `id`, are two events', () => {
    const update = (firstName: string) => json({ id: 'ctc_01', event: 'contact.updated', timestamp: '2026-05-20T14:32:00.000Z', data: { contactId: 'ctc_01', firstName } });
    const keys = ['Ada', 'Grace'].map((name) => {
      const parsed = parseEvent(VENDORS.kolvera, update(name));
      return parsed.ok ? parsed.dedupeKey : parsed.error;
    });
    expect(keys[0]).toMatch(/^kolvera:sha256:[0-9a-f]{64}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });
});

describe('schema export', () => {
  it('gives every event a JSON Schema of an object with its documented fields', () => {
    for (const vendor of Object.values(VENDORS) as Vendor[]) {
      for (const [name, event] of Object.entries(vendor.events)) {
        const schema = eventJsonSchema(event);
        const fields = eventFields(event);
        expect(schema).toMatchObject({ type: 'object' });
        expect(fields.length).toBeGreaterThan(0);
        expect(fields.some((field) => field.key === 'data' || field.key.startsWith('data.'))).toBe(true);
        expect(name).toMatch(/\./);
      }
    }
  });

  it('flattens nested entities, arrays and nullable fields', () => {
    const fields = eventFields(VENDORS.konver.events['person.created']);
    const byKey = Object.fromEntries(fields.map((field) => [field.key, field]));
    expect(byKey['data.entity.name']).toEqual({ key: 'data.entity.name', label: 'Data Entity Name', type: 'string' });
    expect(byKey['data.entity.logoUrl']).toMatchObject({ type: 'string', label: 'Data Entity Logo Url' });
    expect(byKey['data.entity.phones']).toMatchObject({ type: 'array' });
    expect(byKey['data.entity.phones[].phone']).toMatchObject({ type: 'string', label: 'Data Entity Phones Phone' });
    expect(byKey.eventType).toMatchObject({ type: 'string' });
  });

  it('keeps integer, number and optional fields apart', () => {
    const summary = Object.fromEntries(eventFields(VENDORS.convo.events['conversation.summary.ready']).map((f) => [f.key, f.type]));
    expect(summary).toMatchObject({ 'data.sectionCount': 'integer', 'data.title': 'string', timestamp: 'string' });
    const replied = Object.fromEntries(eventFields(VENDORS.konvox.events['contact.replied']).map((f) => [f.key, f.type]));
    // An optional, nullable field is listed by the type it has when present.
    expect(replied).toMatchObject({ 'data.channel': 'string', 'data.subject': 'string' });
  });

  it('describes open payloads as an open object field', () => {
    expect(eventFields(VENDORS.converc.events['call.ended']).find((f) => f.key === 'data')).toMatchObject({ type: 'object' });
    expect(eventJsonSchema(VENDORS.converc.events['call.ended'])).toMatchObject({ additionalProperties: {} });
  });
});
