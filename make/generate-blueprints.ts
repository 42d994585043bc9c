import { join } from 'node:path';
import { VENDORS } from '../shared/vendors';
import type { VendorDefinition } from '../shared/vendor-definition';
import type { Blueprint, Filter, MakeModule, ModuleSpec } from './blueprint';
import { MAKE_RECIPES, type AnyMakeRecipe, type Fields } from './recipes';
import { dedupeKey, RAW_BODY, signatureFilter } from './signature-filter';

export const BLUEPRINTS_DIR = join(__dirname, 'blueprints');

/** Designer spacing of Make's published patterns: x step 300, branches offset in y. */
const STEP = 300;

/** Module 2 parses the raw body; every later module reads the delivery from it. */
const PARSED = 2;

const fields: Fields = { field: (path) => `{{${PARSED}.${path}}}`, ref: (path) => `${PARSED}.${path}` };

/** The first of the vendor's type fields that is set, as the core reads it (the unsigned header is never used). */
function eventTypeExpression(vendor: VendorDefinition): string {
  const [first, ...rest] = vendor.eventType.bodyFields.map((name) => fields.ref(name));
  return rest.reduce((expression, next) => `ifempty(${expression}; ${next})`, first ?? '');
}

function place(id: number, spec: ModuleSpec, x: number, y: number, filter?: Filter): MakeModule {
  return { id, ...spec, ...(filter === undefined ? {} : { filter }), metadata: { designer: { x, y } } };
}

/**
 * Make answers a Custom Webhook as soon as it queues the request, so a forged delivery cannot be
 * refused: the signature filter on module 2 stops it before anything acts.
 */
function blueprintOf(recipe: AnyMakeRecipe): Blueprint {
  const vendor: VendorDefinition = VENDORS[recipe.vendor];
  const flow: MakeModule[] = [
    place(1, { module: 'gateway:CustomWebHook', version: 1, parameters: {}, mapper: {} }, 0, 0),
    place(PARSED, { module: 'json:ParseJSON', version: 1, parameters: {}, mapper: { json: `{{${RAW_BODY}}}` } }, STEP, 0, signatureFilter(vendor)),
  ];
  // A vendor that retries can deliver one event twice: Make's data store dedupe pattern drops the repeat.
  if (vendor.delivery.maxAttempts > 1) {
    const key = dedupeKey(vendor);
    const exists = flow.length + 1;
    flow.push(
      place(exists, { module: 'datastore:ExistRecord', version: 1, parameters: {}, mapper: { key } }, flow.length * STEP, 0),
      place(
        exists + 1,
        { module: 'datastore:AddRecord', version: 1, parameters: {}, mapper: { key, data: { receivedAt: '{{now}}' }, overwrite: false } },
        (flow.length + 1) * STEP,
        0,
        { name: 'Not seen before', conditions: [[{ a: `{{${exists}.exist}}`, o: 'boolean:equal', b: 'false' }]] },
      ),
    );
  }
  const routerId = flow.length + 1;
  const routerX = flow.length * STEP;
  const eventType = eventTypeExpression(vendor);
  const routes = recipe.routes.map((route, index) => ({
    flow: [
      place(routerId + 1 + index, route.action(fields), routerX + STEP, index * STEP, {
        name: `Event is ${route.event}`,
        conditions: [[{ a: `{{${eventType}}}`, o: 'text:equal', b: route.event }]],
      }),
    ],
  }));
  flow.push({ id: routerId, module: 'builtin:BasicRouter', version: 1, mapper: null, routes, metadata: { designer: { x: routerX, y: 0 } } });
  return {
    name: recipe.title,
    description: `Receives ${vendor.name} webhooks on a Custom Webhook with JSON pass-through and request headers on, drops any delivery whose ${vendor.signature.header} does not match the signing secret in the custom variable ${vendor.id}_signing_secret, and acts on ${recipe.routes.map((route) => route.event).join(', ')}. Setup: docs/make.md.`,
    flow,
    metadata: {
      version: 1,
      scenario: { roundtrips: 1, maxErrors: 3, autoCommit: true, autoCommitTriggerLast: true, freshVariables: false },
      designer: { orphans: [] },
    },
  };
}

/** Every blueprint file, by name under make/blueprints/. */
export function blueprintFiles(): Record<string, string> {
  return Object.fromEntries(MAKE_RECIPES.map((recipe) => [`${recipe.slug}.blueprint.json`, `${JSON.stringify(blueprintOf(recipe), null, 2)}\n`]));
}
