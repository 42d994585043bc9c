/**
 * The committed blueprints' filters, evaluated on the bundle a Custom Webhook with JSON
 * pass-through and request headers would give, decide as the core does: the signature filter
 * passes exactly the deliveries `verify` accepts, the data store key is the core's dedupe key,
 * and a route's filter names the event the core reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Blueprint, Filter, MakeModule } from '../../../make/blueprint';
import { BLUEPRINTS_DIR } from '../../../make/generate-blueprints';
import { MAKE_RECIPES } from '../../../make/recipes';
import { parseEvent, sign, verify, VENDORS, type VendorDefinition } from '../../../shared';
import { evaluate, passes, type Scope } from '../../support/make-iml';
import { referenceHmacSha256 } from '../../support/reference-hmac';

const SECRET = 'whsec_make-test-secret';

const recipes = MAKE_RECIPES.map((recipe) => {
  const blueprint = JSON.parse(readFileSync(join(BLUEPRINTS_DIR, `${recipe.slug}.blueprint.json`), 'utf8')) as Blueprint;
  return { recipe, vendor: VENDORS[recipe.vendor] as VendorDefinition, blueprint };
});

const moduleNamed = (blueprint: Blueprint, name: string): MakeModule => {
  const found = blueprint.flow.find((module) => module.module === name);
  if (found === undefined) throw new Error(`No ${name} in ${blueprint.name}`);
  return found;
};
const filterOf = (module: MakeModule): Filter => {
  if (module.filter === undefined) throw new Error(`Module ${module.id} has no filter`);
  return module.filter;
};

/**
 * The bundle Make's Custom Webhook gives (the raw body as text, the headers as {name, value}
 * with lower-case names), and module 2's parsed body once it has run.
 */
function scopeOf(raw: string, headers: readonly (readonly [string, string])[], secret: string, vendor: VendorDefinition, parsed = false): Scope {
  const webhook = { value: raw, __IMTHEADERS__: headers.map(([name, value]) => ({ name: name.toLowerCase(), value })) };
  return {
    modules: parsed ? { 1: webhook, 2: JSON.parse(raw) } : { 1: webhook },
    variables: { organization: { [`${vendor.id}_signing_secret`]: secret } },
  };
}

function samplesOf(vendor: VendorDefinition): { event: string; raw: string }[] {
  // Odd spacing and a non-ASCII character: the digest is over the bytes sent, not re-serialized JSON.
  return Object.entries(vendor.events).flatMap(([event, { sample }]) => [
    { event, raw: JSON.stringify(sample) },
    { event: `${event} (spaced, non-ASCII)`, raw: JSON.stringify({ ...(sample as object), note: 'café ✓' }, null, 1) },
  ]);
}

describe.each(recipes)('$recipe.slug', ({ vendor, blueprint }) => {
  const parse = moduleNamed(blueprint, 'json:ParseJSON');
  const signatureFilter = filterOf(parse);
  const header = vendor.signature.header;
  const coreAccepts = (raw: string, headers: readonly (readonly [string, string])[], secret: string) => {
    const map: Record<string, string[]> = {};
    for (const [name, value] of headers) (map[name.toLowerCase()] ??= []).push(value);
    return verify(vendor.signature, Buffer.from(raw), map, [secret]).ok;
  };
  const makePasses = (raw: string, headers: readonly (readonly [string, string])[], secret = SECRET) => passes(signatureFilter, scopeOf(raw, headers, secret, vendor));

  it('checks the signature on module 2, the first after the webhook, reading the raw body', () => {
    expect(blueprint.flow[0]?.module).toBe('gateway:CustomWebHook');
    expect(blueprint.flow[1]).toBe(parse);
    expect(parse.mapper).toEqual({ json: '{{1.value}}' });
  });

  it.each(samplesOf(vendor))('passes every signature the core accepts for $event', ({ raw }) => {
    const digest = referenceHmacSha256(Buffer.from(SECRET), Buffer.from(raw));
    const accepted = [
      sign(vendor.signature, Buffer.from(raw), SECRET),
      digest.toString('hex'),
      digest.toString('hex').toUpperCase(),
      digest.toString('base64'),
      `sha256=${digest.toString('hex')}`,
      `SHA256=${digest.toString('base64')}`,
      ` ${digest.toString('hex')} `,
    ];
    for (const value of accepted) {
      const headers = [['Content-Type', 'application/json'], [header, value]] as const;
      expect({ value, make: makePasses(raw, headers), core: coreAccepts(raw, headers, SECRET) }).toEqual({ value, make: true, core: true });
    }
  });

  it.each(samplesOf(vendor))('drops what the core refuses for $event', ({ raw }) => {
    const good = sign(vendor.signature, Buffer.from(raw), SECRET);
    const forged: [string, string, (readonly [string, string])[], string][] = [
      ['wrong secret', raw, [[header, sign(vendor.signature, Buffer.from(raw), 'whsec_someone-else')]], SECRET],
      ['tampered body', `${raw.slice(0, raw.lastIndexOf('}'))},"injected":true}`, [[header, good]], SECRET],
      ['missing header', raw, [['Content-Type', 'application/json']], SECRET],
      ['header sent twice', raw, [[header, good], [header, good]], SECRET],
      ['truncated digest', raw, [[header, good.slice(0, -2)]], SECRET],
      ['plain SHA-256 with no secret set', raw, [[header, evaluate(`{{sha256(1.value; "hex")}}`, scopeOf(raw, [], '', vendor)) as string]], ''],
    ];
    for (const [label, body, headers, secret] of forged) {
      expect({ label, make: makePasses(body, headers, secret), core: coreAccepts(body, headers, secret) }).toEqual({ label, make: false, core: false });
    }
  });

  it('decides as the core on arbitrary header values', () => {
    const raw = samplesOf(vendor)[0]?.raw ?? '';
    const digest = referenceHmacSha256(Buffer.from(SECRET), Buffer.from(raw));
    const near = fc.oneof(
      fc.constantFrom(digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')),
      fc.string(),
      fc.tuple(fc.constantFrom(digest.toString('hex'), digest.toString('base64')), fc.nat(50), fc.string({ maxLength: 2 })).map(([value, at, insert]) => value.slice(0, at) + insert + value.slice(at + 1)),
    );
    fc.assert(
      fc.property(near, fc.constantFrom('', 'sha256=', 'Sha256=', ' '), (value, prefix) => {
        const headers = [[header, prefix + value]] as const;
        return makePasses(raw, headers) === coreAccepts(raw, headers, SECRET);
      }),
      { numRuns: 500 },
    );
  });

  it("routes on the event type the core reads from the body", () => {
    const router = moduleNamed(blueprint, 'builtin:BasicRouter');
    for (const route of router.routes ?? []) {
      const routeFilter = filterOf(route.flow[0] as MakeModule);
      for (const [name, event] of Object.entries(vendor.events)) {
        const raw = JSON.stringify(event.sample);
        const parsed = parseEvent(vendor, Buffer.from(raw));
        if (!parsed.ok) throw new Error(parsed.message);
        expect({ name, routed: passes(routeFilter, scopeOf(raw, [], SECRET, vendor, true)) }).toEqual({ name, routed: parsed.eventType === routeFilter.conditions[0]?.[0]?.b });
      }
    }
  });
});

describe('Konvox, which retries', () => {
  const konvox = recipes.find(({ vendor }) => vendor.id === 'konvox');

  it('keys its data store with the core dedupe key and adds only keys not seen', () => {
    if (konvox === undefined) throw new Error('No Konvox recipe');
    const exists = moduleNamed(konvox.blueprint, 'datastore:ExistRecord');
    const add = moduleNamed(konvox.blueprint, 'datastore:AddRecord');
    for (const { raw } of samplesOf(konvox.vendor)) {
      const parsed = parseEvent(konvox.vendor, Buffer.from(raw));
      if (!parsed.ok) throw new Error(parsed.message);
      const scope = scopeOf(raw, [], SECRET, konvox.vendor);
      expect(evaluate(String(exists.mapper?.key), scope)).toBe(parsed.dedupeKey);
      expect(add.mapper?.key).toBe(exists.mapper?.key);
    }
    const seen = (exist: boolean): Scope => ({ modules: { [exists.id]: { exist } }, variables: { organization: {} } });
    expect([passes(filterOf(add), seen(false)), passes(filterOf(add), seen(true))]).toEqual([true, false]);
  });

  it('is the only recipe vendor that retries, and the only blueprint with a data store', () => {
    const withStore = recipes.filter(({ blueprint }) => blueprint.flow.some((module) => module.module.startsWith('datastore:'))).map(({ vendor }) => vendor.id);
    expect(withStore).toEqual(recipes.filter(({ vendor }) => vendor.delivery.maxAttempts > 1).map(({ vendor }) => vendor.id));
    expect(withStore).toEqual(['konvox']);
  });
});
