/**
 * The Make blueprints are generated from the vendor definitions with no diff, one for each n8n
 * recipe, routing the events that recipe's trigger subscribes to, with no secret written in.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Blueprint } from '../../../make/blueprint';
import { BLUEPRINTS_DIR } from '../../../make/generate-blueprints';
import { MAKE_RECIPES } from '../../../make/recipes';
import { ROOT } from '../../../scripts/generate/layout';

jest.setTimeout(120_000);

const RECIPES_DIR = join(ROOT, 'recipes');
const n8nRecipes = readdirSync(RECIPES_DIR).map((file) => file.replace(/\.json$/, ''));

it('regenerating the blueprints, with the packages and the vendor index, leaves no diff', () => {
  const run = spawnSync('npx', ['tsx', 'scripts/generate-packages.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
});

it('has one blueprint per n8n recipe and nothing else', () => {
  expect(readdirSync(BLUEPRINTS_DIR).sort()).toEqual(n8nRecipes.map((slug) => `${slug}.blueprint.json`).sort());
});

describe.each(MAKE_RECIPES)('$slug', (recipe) => {
  const blueprint = JSON.parse(readFileSync(join(BLUEPRINTS_DIR, `${recipe.slug}.blueprint.json`), 'utf8')) as Blueprint;
  const n8n = JSON.parse(readFileSync(join(RECIPES_DIR, `${recipe.slug}.json`), 'utf8'));
  const trigger = n8n.nodes.find((node: { type: string }) => node.type === `n8n-nodes-${recipe.vendor}.${recipe.vendor}Trigger`);

  it("routes the events the n8n recipe's trigger subscribes to", () => {
    const router = blueprint.flow.find((module) => module.module === 'builtin:BasicRouter');
    const routed = (router?.routes ?? []).map((route) => route.flow[0]?.filter?.conditions[0]?.[0]?.b);
    expect(routed).toEqual(trigger.parameters.events);
  });

  it('reads the signing secret from a custom variable and names no connection, webhook or data store', () => {
    const text = JSON.stringify(blueprint);
    expect(text).toContain(`var.organization.${recipe.vendor}_signing_secret`);
    expect(text).not.toMatch(/whsec|__IMTCONN__|"hook"|"datastore"/);
  });
});
