import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDOR_IDS, VENDORS, type VendorDefinition } from '../shared';
import { createVendorCredential, deploymentOf, type Deployment } from './deployment';
import { ROOT } from './paths';
import type { N8nStack } from './stack';
import { nodeTypeOf, productionUrlOf, type WorkflowNode } from './workflows';

export const RECIPES_DIR = join(ROOT, 'recipes');

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

/** The recipe's ConvHooks trigger, found by the type a user's n8n gives it once the vendor's package is installed. */
export function recipeTrigger(recipe: Recipe) {
  for (const vendorId of VENDOR_IDS) {
    const trigger = recipe.nodes.find((node) => node.type === nodeTypeOf(vendorId));
    if (trigger) return { trigger, vendor: VENDORS[vendorId] as VendorDefinition };
  }
  throw new Error(`${recipe.file} has no ConvHooks trigger of a type n8n knows (${VENDOR_IDS.map(nodeTypeOf).join(', ')})`);
}

/**
 * Imports a recipe as a user would after installing the package, node types as the file has
 * them: our trigger with its
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
        return { ...node, webhookId, credentials: { [type!]: { id: vendorCredential, name: `${vendor.name} credential` } } };
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
