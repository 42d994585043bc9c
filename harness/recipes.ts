import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVendorId, VENDORS, type VendorDefinition } from '../shared';
import { createVendorCredential, deploymentOf, type Deployment } from './deployment';
import { ROOT } from './paths';
import type { N8nStack } from './stack';
import { NODE_TYPE_PREFIX, productionUrlOf, type WorkflowNode } from './workflows';

export const RECIPES_DIR = join(ROOT, 'recipes');
/** A ConvHooks trigger's type as a user's n8n names it once the vendor's community package is installed. */
const TRIGGER_TYPE = /^n8n-nodes-([a-z0-9]+)\.\1Trigger$/;

export interface Recipe {
  readonly file: string;
  readonly name: string;
  readonly nodes: (WorkflowNode & { credentials?: Record<string, { id: string; name: string }>; webhookId?: string })[];
  readonly connections: Record<string, unknown>;
  readonly settings?: Record<string, unknown>;
}

export function loadRecipes(): Recipe[] {
  return readdirSync(RECIPES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(RECIPES_DIR, file), 'utf8')) as Omit<Recipe, 'file'>) }));
}

export function recipeTrigger(recipe: Recipe) {
  const trigger = recipe.nodes.find((node) => TRIGGER_TYPE.test(node.type));
  const vendorId = trigger?.type.match(TRIGGER_TYPE)?.[1] ?? '';
  if (!trigger || !isVendorId(vendorId)) throw new Error(`${recipe.file} has no ConvHooks trigger`);
  return { trigger, vendor: VENDORS[vendorId] as VendorDefinition };
}

/**
 * Imports a recipe as a user would after installing the package: our trigger with its
 * credential, every destination with a placeholder credential (the destinations cannot be
 * reached from here).
 */
export async function importRecipe(stack: N8nStack, recipe: Recipe, placeholderCredentials: Record<string, Record<string, unknown>>): Promise<Deployment> {
  const { trigger, vendor } = recipeTrigger(recipe);
  const vendorCredential = await createVendorCredential(stack, vendor);
  const webhookId = randomUUID();
  const nodes = await Promise.all(
    recipe.nodes.map(async (node) => {
      if (node === trigger) {
        const [type] = Object.keys(node.credentials ?? {});
        return { ...node, type: `${NODE_TYPE_PREFIX}.${vendor.id}Trigger`, webhookId, credentials: { [type!]: { id: vendorCredential, name: `${vendor.name} credential` } } };
      }
      const credentials = Object.fromEntries(
        await Promise.all(
          Object.entries(node.credentials ?? {}).map(async ([type, reference]) => {
            const data = placeholderCredentials[type];
            if (!data) throw new Error(`No placeholder credential for ${type}`);
            const { id } = await stack.api.createCredential(reference.name, type, data);
            return [type, { id, name: reference.name }] as const;
          }),
        ),
      );
      return { ...node, ...(node.credentials ? { credentials } : {}) };
    }),
  );
  const created = await stack.api.createWorkflow({ name: recipe.name, nodes, connections: recipe.connections, settings: recipe.settings ?? {} });
  const workflow = { id: created.id, webhookId, triggerName: trigger.name, productionUrl: productionUrlOf(stack, webhookId) };
  return deploymentOf(stack, vendor, workflow, trigger.parameters.events as string[]);
}
