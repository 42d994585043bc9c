import fc from 'fast-check';
import { z } from 'zod/v4';
import { VENDORS, type VendorDefinition } from '../../shared';
import { compileCertainCheck } from '../../shared/schema-check';

type Path = readonly (string | number)[];

const schemas = Object.values(VENDORS).flatMap((vendor) =>
  Object.entries(vendor.events as VendorDefinition['events']).map(([name, event]) => ({ name: `${vendor.id} ${name}`, ...event })),
);

function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  const children = Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...path, Array.isArray(value) ? Number(key) : key]));
  return [path, ...children];
}

/** The sample with the value at `path` replaced, or removed when `replacement` is undefined. */
function mutate(sample: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = structuredClone(sample);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

describe('compileCertainCheck', () => {
  it.each(schemas.map((event) => [event.name, event] as const))('is certain of the %s sample', (_name, event) => {
    expect(compileCertainCheck(event.schema)(event.sample)).toBe(true);
  });

  it('never says certain where zod refuses a mutated sample', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...schemas).chain((event) =>
          fc.tuple(fc.constant(event), fc.constantFrom(...pathsOf(event.sample)), fc.option(fc.jsonValue(), { nil: undefined })),
        ),
        ([event, path, replacement]) => {
          const body = mutate(event.sample, path, replacement);
          if (compileCertainCheck(event.schema)(body)) expect(event.schema.safeParse(body).success).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['an email format', z.email(), 'not-an-email'],
    ['a datetime format', z.iso.datetime(), 'yesterday'],
    ['an integer format', z.int(), 1.5],
    ['a length check', z.string().min(3), 'ab'],
    ['a refinement', z.string().refine((text) => text.startsWith('evt_')), 'x'],
    ['a strict object', z.strictObject({ id: z.string() }), { id: 'x', extra: 1 }],
    ['a non-finite number', z.number(), Number.NaN],
    ['a missing nullable field', z.looseObject({ id: z.string().nullable() }), {}],
    ['a value outside an enum', z.enum(['a', 'b']), 'c'],
  ])('leaves %s to zod', (_what, schema, refused) => {
    expect(schema.safeParse(refused).success).toBe(false);
    expect(compileCertainCheck(schema)(refused)).toBe(false);
  });
});
