/**
 * The blueprint validator refuses each broken rule with its own message, so a blueprint that
 * passes it has been checked, and every generated blueprint passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLUEPRINTS_DIR } from '../../../make/generate-blueprints';
import { validateBlueprint } from '../../../make/validate-blueprint';

const files = readdirSync(BLUEPRINTS_DIR);
const read = (file: string) => JSON.parse(readFileSync(join(BLUEPRINTS_DIR, file), 'utf8'));
/** Konvox's: webhook, filtered parse, data store, router with a route: every rule has something to bite on. */
const sample = () => read('konvox-unsubscribes-to-salesforce.blueprint.json');
const router = (blueprint: any) => blueprint.flow.find((module: any) => module.module === 'builtin:BasicRouter');

it.each(files)('%s meets every rule', (file) => {
  expect(validateBlueprint(read(file))).toEqual([]);
});

const broken: [string, (blueprint: any) => void, string][] = [
  ['an unknown top-level key', (b) => (b.scheduling = { type: 'indefinitely' }), 'unexpected top-level key "scheduling"'],
  ['a name too long', (b) => (b.name = 'x'.repeat(121)), 'name must be a 1-120 character string'],
  ['an empty flow', (b) => (b.flow = []), 'flow must be a non-empty array'],
  ['metadata version 2', (b) => (b.metadata.version = 2), 'metadata.version must be 1'],
  ['no scenario settings', (b) => delete b.metadata.scenario, 'metadata.scenario is required'],
  ['no designer orphans', (b) => delete b.metadata.designer, 'metadata.designer.orphans is required'],
  ['a module id 0', (b) => (b.flow[2].id = 0), 'flow[2]: module id must be an integer >= 1 (got 0)'],
  ['a fractional module id', (b) => (b.flow[2].id = 2.5), 'flow[2]: module id must be an integer >= 1 (got 2.5)'],
  ['a duplicate id inside a route', (b) => (router(b).routes[0].flow[0].id = 1), 'flow[4].routes[0].flow[0]: duplicate module id 1'],
  ['a module name without its app', (b) => (b.flow[1].module = 'ParseJSON'), 'flow[1]: invalid module identifier "ParseJSON"'],
  ['a placeholder module', (b) => (b.flow[1].module = 'placeholder:Placeholder'), 'flow[1]: placeholder:Placeholder is not a real module'],
  ['a version 0', (b) => (b.flow[1].version = 0), 'flow[1]: module version must be a positive integer'],
  ['a connection id', (b) => (router(b).routes[0].flow[0].parameters.__IMTCONN__ = 123), 'flow[4].routes[0].flow[0]: parameters.__IMTCONN__ must be omitted: the user attaches it after import'],
  ['a hook, even null', (b) => (b.flow[0].parameters.hook = null), 'flow[0]: parameters.hook must be omitted: the user attaches it after import'],
  ['a data store id', (b) => (b.flow[2].parameters.datastore = 42), 'flow[2]: parameters.datastore must be omitted: the user attaches it after import'],
  ['exporter metadata', (b) => (b.flow[0].metadata.restore = {}), 'flow[0]: module metadata.restore is exporter-only'],
  ['no designer coordinates', (b) => delete router(b).routes[0].flow[0].metadata.designer.y, 'flow[4].routes[0].flow[0]: metadata.designer.x/y coordinates are required'],
  ['a router with a mapper', (b) => (router(b).mapper = {}), 'flow[4]: router mapper must be null'],
  ['a router without routes', (b) => (router(b).routes = []), 'flow[4]: router must have routes'],
  ['a router with a filter', (b) => (router(b).filter = b.flow[3].filter), 'flow[4]: router must not carry a filter: put it on the first module of a route'],
  ['an empty route', (b) => router(b).routes.push({ flow: [] }), 'flow[4]: routes[1].flow must be non-empty'],
  ['a filter on the first module', (b) => (b.flow[0].filter = b.flow[3].filter), 'flow[0]: the first module of a scenario must not have a filter'],
  ['a reference to a missing module', (b) => (b.flow[1].mapper.json = '{{9.value}}'), 'IML reference to module 9 in "{{9.value}}" names no module'],
  [
    'a reference to a missing module inside a function',
    (b) => (b.flow[2].mapper.key = '{{sha256(7.value; "hex")}}'),
    'IML reference to module 7 in "{{sha256(7.value; "hex")}}" names no module',
  ],
  [
    'a token written in',
    (b) => (router(b).routes[0].flow[0].mapper.headers[0].value = 'Bearer 00D5g000004XyZaEAK1234567890abcdef'),
    'possible leak (credential-looking string): "Bearer 00D5g000004XyZaEAK1234567890abcdef"',
  ],
  ['a real address', (b) => (b.description = 'Ask ops@convhooks.dev'), 'possible leak (non-example.com email address): "ops@convhooks.dev"'],
  ['an internal Make URL', (b) => (b.description = 'See https://we.make.com/x'), 'possible leak (internal Make URL): "we.make.com"'],
];

it.each(broken)('refuses %s', (_rule, breakIt, message) => {
  const blueprint = sample();
  breakIt(blueprint);
  expect(validateBlueprint(blueprint)).toContain(message);
});

it('refuses something that is not an object', () => {
  expect(validateBlueprint([])).toEqual(['a blueprint is a JSON object']);
});
