/**
 * The structural rules Make's published blueprints must meet, from integromat/make-blueprints
 * scripts/validate.mjs (its if-else, merge and aggregator rules are left out: no blueprint here
 * uses those modules). Module references are checked inside function calls too, not only at
 * the start of a `{{…}}`, since the signature filter reads module 1 only inside functions.
 */

type Json = Record<string, unknown>;

const ALLOWED_TOP_LEVEL = ['name', 'description', 'flow', 'metadata'];
const MODULE_IDENTIFIER = /^[a-z][a-z0-9-]*:[A-Za-z0-9]+$/;
/** Connections, webhooks and resources belong to one account: the user attaches them after import. */
const FORBIDDEN_PARAMETERS = ['__IMTCONN__', '__IMTKEY__', 'hook', 'datastore', 'agent', 'apiKeyKeychain', 'basicAuthKeychain', 'oAuthAccount', 'proxyKeychain', 'bodyDataStructure'];
/** Exporter-only module metadata; the designer coordinates are all a published blueprint keeps. */
const FORBIDDEN_MODULE_METADATA = ['restore', 'expect', 'interface', 'parameters', 'advanced'];
const IML_BLOCK = /\{\{(.*?)\}\}/g;
/** A module id opening a path (`1.value`, `{{1}}`), not a digit inside a word, number or string. */
const MODULE_REFERENCE = /(?<![\w."])`?(\d+)`?(?=[.}]|$)/g;
const LEAKS: readonly [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@(?!example\.com)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/, 'non-example.com email address'],
  [/we\.make\.com|make\.atlassian\.net/, 'internal Make URL'],
  [/(?:api[_-]?key|bearer|token)["\s:=]+[A-Za-z0-9_-]{20,}/i, 'credential-looking string'],
];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

interface Visit {
  readonly module: Json;
  readonly where: string;
  readonly first: boolean;
}

/** Every module, routes and error handlers included, with its path for messages. */
function modulesOf(flow: unknown, path = 'flow'): Visit[] {
  return listOf(flow).flatMap((module, index) => {
    const where = `${path}[${index}]`;
    if (!isObject(module)) return [{ module: {}, where, first: index === 0 && path === 'flow' }];
    return [
      { module, where, first: index === 0 && path === 'flow' },
      ...listOf(module.routes).flatMap((route, r) => modulesOf(isObject(route) ? route.flow : [], `${where}.routes[${r}].flow`)),
      ...modulesOf(module.onerror, `${where}.onerror`),
    ];
  });
}

function moduleProblems({ module, where, first }: Visit): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${where}: ${message}`);
  if (typeof module.module !== 'string' || !MODULE_IDENTIFIER.test(module.module)) fail(`invalid module identifier "${String(module.module)}"`);
  if (module.module === 'placeholder:Placeholder') fail('placeholder:Placeholder is not a real module');
  if (!Number.isInteger(module.version) || (module.version as number) < 1) fail('module version must be a positive integer');
  const parameters = isObject(module.parameters) ? module.parameters : {};
  for (const key of FORBIDDEN_PARAMETERS) if (key in parameters) fail(`parameters.${key} must be omitted: the user attaches it after import`);
  const metadata = isObject(module.metadata) ? module.metadata : {};
  for (const key of FORBIDDEN_MODULE_METADATA) if (key in metadata) fail(`module metadata.${key} is exporter-only`);
  const designer = metadata.designer;
  if (!isObject(designer) || typeof designer.x !== 'number' || typeof designer.y !== 'number') fail('metadata.designer.x/y coordinates are required');
  if (module.module === 'builtin:BasicRouter') {
    if (module.mapper !== null) fail('router mapper must be null');
    if (!Array.isArray(module.routes) || module.routes.length === 0) fail('router must have routes');
    if (module.filter !== undefined) fail('router must not carry a filter: put it on the first module of a route');
    listOf(module.routes).forEach((route, r) => {
      if (!isObject(route) || !Array.isArray(route.flow) || route.flow.length === 0) fail(`routes[${r}].flow must be non-empty`);
    });
  }
  if (first && module.filter !== undefined) fail('the first module of a scenario must not have a filter');
  return problems;
}

function idProblems(visits: readonly Visit[]): { problems: string[]; ids: Set<unknown> } {
  const problems: string[] = [];
  const ids = new Set<unknown>();
  for (const { module, where } of visits) {
    if (!Number.isInteger(module.id) || (module.id as number) < 1) problems.push(`${where}: module id must be an integer >= 1 (got ${String(module.id)})`);
    if (ids.has(module.id)) problems.push(`${where}: duplicate module id ${String(module.id)}`);
    ids.add(module.id);
  }
  return { problems, ids };
}

/** Every string in the blueprint, keys aside: where IML can sit. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return isObject(value) ? Object.values(value).flatMap(stringsOf) : [];
}

function referenceProblems(text: string, ids: ReadonlySet<unknown>): string[] {
  const problems: string[] = [];
  for (const [, expression] of text.matchAll(IML_BLOCK)) {
    for (const [, id] of (expression ?? '').matchAll(MODULE_REFERENCE)) {
      if (!ids.has(Number(id))) problems.push(`IML reference to module ${id} in "{{${expression}}}" names no module`);
    }
  }
  return problems;
}

/** Every rule the blueprint breaks, one message each; empty when it meets them all. */
export function validateBlueprint(blueprint: unknown): string[] {
  if (!isObject(blueprint)) return ['a blueprint is a JSON object'];
  const problems: string[] = [];
  for (const key of Object.keys(blueprint)) if (!ALLOWED_TOP_LEVEL.includes(key)) problems.push(`unexpected top-level key "${key}"`);
  if (typeof blueprint.name !== 'string' || blueprint.name.length < 1 || blueprint.name.length > 120) problems.push('name must be a 1-120 character string');
  if (!Array.isArray(blueprint.flow) || blueprint.flow.length === 0) problems.push('flow must be a non-empty array');
  const metadata = isObject(blueprint.metadata) ? blueprint.metadata : {};
  if (metadata.version !== 1) problems.push('metadata.version must be 1');
  if (!isObject(metadata.scenario)) problems.push('metadata.scenario is required');
  if (!isObject(metadata.designer) || !Array.isArray(metadata.designer.orphans)) problems.push('metadata.designer.orphans is required');
  const visits = modulesOf(blueprint.flow);
  const { problems: idIssues, ids } = idProblems(visits);
  problems.push(...idIssues, ...visits.flatMap(moduleProblems));
  const text = JSON.stringify(blueprint);
  problems.push(...stringsOf(blueprint).flatMap((value) => referenceProblems(value, ids)));
  for (const [pattern, label] of LEAKS) {
    const hit = text.match(pattern);
    if (hit) problems.push(`possible leak (${label}): "${hit[0]}"`);
  }
  return problems;
}
