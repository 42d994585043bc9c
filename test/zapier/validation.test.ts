import { titleCase } from 'title-case';
import { validateAppDefinition } from 'zapier-platform-schema';
import { validate as validateTrigger } from 'zapier-platform-schema/lib/schemas/TriggerSchema';
import { compileApp, serializeApp } from 'zapier-platform-core/src/tools/schema';
import { version as platformVersion } from 'zapier-platform-core';
import { replayDefaultNote, VENDORS, type VendorDefinition, type VendorId } from '../../shared';
import { triggerKey, vendorHeaders } from '../../zapier-app/src';
import { APPS, keyPaths, triggerOf } from './harness';

/** The definition Zapier's CLI validates and uploads: resources resolved, functions serialized. */
const definitionOf = (vendorId: VendorId) => serializeApp(compileApp(APPS[vendorId]));

const VENDOR_IDS = Object.keys(APPS) as VendorId[];

/** Zapier's D018 title case: each word capitalised but small words ("of", "the"), acronyms kept. */
const zapierTitleCase = (label: string) => titleCase(label.replace(/\b[A-Z][a-z]+\b/g, (word) => word.toLowerCase()));

/**
 * Konver's doc shows company events with `createdAt` "0001-01-01T00:00:00" (an unset .NET date,
 * no zone); items keep the vendor's values, so its sample draws Zapier's D023 warning.
 */
const VENDOR_DOCUMENTED_UNSET = '0001-01-01T00:00:00';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A sample's value at a Zapier output key (`a__b`, `list[]field` takes the first item). */
function valueAt(sample: unknown, key: string): unknown {
  return key.split('__').reduce<unknown>((value, part) => {
    const [name, child] = part.split('[]') as [string, string | undefined];
    const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    if (child === undefined) return inner;
    return Array.isArray(inner) ? valueAt(inner[0], child) : undefined;
  }, sample);
}

function fitsType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  return typeof value === 'string';
}

function stringLeaves(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, `${path}.${key}`));
}

describe.each(VENDOR_IDS)('%s Zapier app', (vendorId) => {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const app = APPS[vendorId];
  const definition = definitionOf(vendorId);
  const triggers = Object.values(definition.triggers) as Array<{ key: string; noun: string; display: Record<string, string>; operation: Record<string, unknown> }>;

  it('passes zapier-platform-schema validateAppDefinition', () => {
    expect(validateAppDefinition(definition).errors.map((error) => error.stack)).toEqual([]);
  });

  it('passes TriggerSchema for every trigger, sample included', () => {
    for (const trigger of triggers) expect([trigger.key, validateTrigger(trigger).errors.map((error) => error.stack)]).toEqual([trigger.key, []]);
  });

  it('has one trigger per event, worded in Zapier style', () => {
    expect(triggers.map((trigger) => trigger.key).sort()).toEqual(Object.keys(vendor.events).map(triggerKey).sort());
    expect(new Set(triggers.map((trigger) => trigger.display.label)).size).toBe(triggers.length);
    for (const trigger of triggers) {
      expect(trigger.display.label).toMatch(/^(New|Updated|Deleted) [A-Z]/);
      expect(trigger.display.label).toContain(trigger.noun);
      expect(trigger.display.description).toMatch(new RegExp(`^Triggers when ${vendor.name} sends the \\S+ event: [a-zA-Z].*\\.$`));
    }
    expect(app.version).toBe('0.1.0');
    expect(app.platformVersion).toBe(platformVersion);
  });

  it('lists every field of the sample among the outputFields, and gives every sample a stable id', () => {
    for (const [eventName, event] of Object.entries(vendor.events)) {
      const { sample, ...operation } = triggerOf(app, eventName) as ReturnType<typeof triggerOf> & { outputFields: { key: string }[] };
      const listed = new Set(operation.outputFields.map((field) => field.key));
      // An open object (Converc's `data`) is listed once; whatever it holds is covered by it.
      const covered = (path: string): boolean => listed.has(path) || (path.includes('__') && covered(path.slice(0, path.lastIndexOf('__'))));
      expect(keyPaths(sample).filter((path) => !covered(path))).toEqual([]);
      expect(sample.id).toMatch(new RegExp(`^${vendorId}:`));
      // A documented example went through no signature check.
      expect(sample).toMatchObject({ convhooks: { vendor: vendorId, event: eventName, verified: false, schemaIssues: [] } });
      expect(event.sample).toMatchObject(Object.fromEntries(Object.entries(sample).filter(([key]) => key !== 'id' && key !== 'convhooks')));
    }
  });

  const kind = vendor.registration.kind;
  it(kind === 'api' ? 'subscribes through the API: REST hooks with an API key' : 'is a static hook with directions: signing secret in the connection', () => {
    const fieldKeys = (definition.authentication as { fields: { key: string }[] }).fields.map((field) => field.key);
    for (const trigger of triggers) {
      expect(trigger.operation).toMatchObject({ type: 'hook', perform: expect.any(String), performList: expect.any(String) });
      if (kind === 'api') {
        expect(trigger.operation).toMatchObject({ performSubscribe: expect.any(String), performUnsubscribe: expect.any(String) });
        expect(trigger.display.directions).toBeUndefined();
      } else {
        expect(trigger.operation.performSubscribe).toBeUndefined();
        expect(trigger.display.directions).toContain(vendor.registration.settingsPath);
      }
    }
    expect(fieldKeys.slice(0, 2)).toEqual(kind === 'api' ? ['apiKey', 'baseUrl'] : ['secret', 'previousSecret']);
    expect(fieldKeys.includes('signatureHeader')).toBe(Boolean(vendor.signature.headerAssumed));
    expect(fieldKeys.includes('verification')).toBe(Boolean(vendor.signature.mayBeUnsigned));
  });

  it('asks in the connection how old a delivery may be, off by default, and says why', () => {
    const fields = (definition.authentication as { fields: Record<string, unknown>[] }).fields;
    expect(fields.find((field) => field.key === 'replayWindowMinutes')).toMatchObject({
      label: 'Refuse Old Deliveries (Minutes)',
      type: 'integer',
      required: false,
      default: '0',
      helpText: expect.stringContaining(replayDefaultNote(vendor)),
    });
  });
});

/**
 * The integration checks (docs.zapier.com, "Integration check reference") that need no Zapier
 * account: `zapier-platform validate` runs only the schema locally and sends the rest to Zapier.
 * D002 (a link to where the API key is) is left out: the vendors' docs name no such page.
 */
describe.each(VENDOR_IDS)('%s app against Zapier’s offline-checkable publishing checks', (vendorId) => {
  const definition = definitionOf(vendorId);
  const triggers = Object.values(definition.triggers) as Array<{ key: string; noun: string; display: { label: string; description: string }; operation: Record<string, unknown> }>;
  const authentication = definition.authentication as { fields: Array<{ label: string; helpText?: string }>; connectionLabel: string };
  const texts = [...triggers.flatMap((trigger) => Object.values(trigger.display)), ...authentication.fields.map((field) => field.helpText ?? '')];

  it('D018: labels are in title case, and short', () => {
    const labels = [...triggers.map((trigger) => trigger.display.label), ...authentication.fields.map((field) => field.label)];
    for (const label of labels) {
      expect([label, zapierTitleCase(label)]).toEqual([label, label]);
      expect(label.length).toBeLessThanOrEqual(40);
    }
  });

  it('D021: trigger descriptions start "Triggers when " and end with a period; nouns are short and in the label', () => {
    for (const { display, noun } of triggers) {
      expect(display.description).toMatch(/^Triggers when .+\.$/);
      expect(noun.split(' ').length).toBeLessThanOrEqual(4);
      expect(display.label).toContain(noun);
    }
  });

  it('D006, D012: every hook trigger lists samples (performList) and has a static sample with an id', () => {
    for (const { operation } of triggers) expect(operation).toMatchObject({ type: 'hook', performList: expect.any(String), sample: { id: expect.any(String) } });
  });

  it('D003, D011: the connection label names no secret; no help text repeats its label', () => {
    expect(authentication.connectionLabel).not.toMatch(/apiKey|secret|password|token/i);
    for (const { label, helpText } of authentication.fields) expect(helpText?.trim().toLowerCase()).not.toBe(label.toLowerCase());
  });

  it('D007, D008, D025: texts hold no plain-http, bare or script URLs', () => {
    for (const text of texts) {
      expect(text).not.toMatch(/http:\/\/|javascript:/i);
      // A URL is a markdown link's target or in backticks.
      expect(text.replace(/\]\(https:\/\/[^)\s]+\)|`[^`]*`/g, '')).not.toMatch(/https:\/\//);
    }
  });

  it('D023, D024: sample values fit their output field types, and dates are ISO-8601 with a zone', () => {
    for (const { key, operation } of triggers) {
      const { sample, outputFields } = operation as { sample: Record<string, unknown>; outputFields: Array<{ key: string; type?: string }> };
      for (const field of outputFields) {
        const value = valueAt(sample, field.key);
        if (value === undefined || value === null || field.type === undefined) continue;
        expect([key, field.key, fitsType(value, field.type)]).toEqual([key, field.key, true]);
      }
      for (const [path, value] of stringLeaves(sample)) {
        if (!/^\d{4}-\d{2}-\d{2}[T ]/.test(value) || value === VENDOR_DOCUMENTED_UNSET) continue;
        expect([key, path, value]).toEqual([key, path, expect.stringMatching(ISO_DATE_TIME)]);
      }
    }
  });
});

describe('the two validators', () => {
  it('differ on a missing sample: only the per-trigger TriggerSchema catches it', () => {
    const definition = definitionOf('convo');
    const [key, trigger] = Object.entries(definition.triggers)[0] as [string, { operation: Record<string, unknown> }];
    const withoutSample = { ...trigger, operation: { ...trigger.operation, sample: undefined } };
    const broken = { ...definition, triggers: { ...definition.triggers, [key]: withoutSample } };
    expect(validateAppDefinition(JSON.parse(JSON.stringify(broken))).errors).toEqual([]);
    // …while the app-level check is not blind: a key Zapier cannot store fails it.
    const badKey = { ...definition, triggers: { ...definition.triggers, [key]: { ...trigger, key: 'call.ended' } } };
    expect(validateAppDefinition(JSON.parse(JSON.stringify(badKey))).errors).not.toEqual([]);
    expect(validateTrigger(JSON.parse(JSON.stringify(withoutSample))).errors.map((error) => error.message)).toEqual([
      'requires "sample", because it\'s not hidden',
    ]);
  });
});

describe("Zapier's hook headers", () => {
  it('map from the CGI spelling to the names the vendor signs under', () => {
    expect(vendorHeaders({ 'Http-X-Convo-Signature': 'abc', 'Http-X-Convo-Event': 'transcript.ready', 'Content-Type': 'application/json' })).toEqual({
      'X-Convo-Signature': 'abc',
      'X-Convo-Event': 'transcript.ready',
      'Content-Type': 'application/json',
    });
  });
});
