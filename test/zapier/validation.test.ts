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
