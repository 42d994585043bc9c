import { randomUUID } from 'node:crypto';
import { credentialName } from '../nodes/trigger/credentials';
import { VENDORS, type VendorDefinition, type VendorId } from '../shared';
import { simulatorApiKey, type RunningSimulator } from '../simulator';
import { packageLayout } from '../scripts/generate/layout';
import type { N8nStack } from './stack';

/** A vendor's trigger as n8n names it once its community package is installed: `<package name>.<node name>`. */
/** The trigger's type once its vendor's package is installed in n8n. */
export const nodeTypeOf = (vendor: VendorId) => packageLayout(VENDORS[vendor]).nodeType;

export interface VendorCredential {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * What a user types into the vendor's credential: the simulator's API and key, or the secret they
 * chose in its settings; and the editor's defaults for the fields that show or hide others. n8n
 * 1.x's public API requires every field such a choice would show unless the choice is sent, so
 * without them it refuses the credential (2.x requires only what a choice sent shows).
 */
export function credentialFor(vendor: VendorDefinition, sim: RunningSimulator, secret: string): VendorCredential {
  if (vendor.registration.kind === 'api') {
    // n8n adds this choice to every credential that authenticates requests.
    const data = { apiKey: simulatorApiKey(vendor.id), baseUrl: sim.baseUrl(vendor.id), allowedHttpRequestDomains: 'all' };
    return { type: credentialName(vendor), data };
  }
  return { type: credentialName(vendor), data: { secret, ...(vendor.signature.mayBeUnsigned ? { verification: 'required' } : {}) } };
}

export interface TriggerWorkflow {
  readonly id: string;
  readonly webhookId: string;
  readonly productionUrl: string;
  readonly triggerName: string;
}

/** A node as n8n's workflow JSON spells it; ids and positions are filled in. */
export interface WorkflowNode {
  readonly name: string;
  readonly type: string;
  readonly typeVersion: number;
  readonly parameters: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface TriggerWorkflowOptions {
  readonly name?: string;
  readonly events?: readonly string[];
  readonly options?: Record<string, unknown>;
  /** Nodes after the trigger, connected in a chain; a No Operation node by default. */
  readonly downstream?: readonly WorkflowNode[];
}

/** Where n8n serves a published trigger: on its own port, or behind the load balancer in queue mode. */
export const productionUrlOf = (stack: N8nStack, webhookId: string) => `${stack.webhookBase}/webhook/${webhookId}/webhook`;

/** Creates a workflow whose trigger is the vendor's node, with its credential; not yet published. */
export async function createTriggerWorkflow(
  stack: N8nStack,
  vendor: VendorDefinition,
  credentialId: string,
  options: TriggerWorkflowOptions = {},
): Promise<TriggerWorkflow> {
  const webhookId = randomUUID();
  const triggerName = `${vendor.name} Trigger`;
  const downstream: readonly WorkflowNode[] = options.downstream ?? [{ name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }];
  const nodes = [
    {
      id: randomUUID(),
      name: triggerName,
      type: nodeTypeOf(vendor.id as VendorId),
      typeVersion: 1.1,
      position: [0, 0],
      webhookId,
      parameters: { events: options.events ?? ['*'], options: options.options ?? {} },
      credentials: { [credentialName(vendor)]: { id: credentialId, name: `${vendor.name} credential` } },
    },
    ...downstream.map((node, index) => ({ id: randomUUID(), position: [240 * (index + 1), 0], ...node })),
  ];
  const names = nodes.map((node) => node.name);
  const connections = Object.fromEntries(
    names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
  );
  const created = await stack.api.createWorkflow({
    name: options.name ?? `ConvHooks demo: ${vendor.name}`,
    nodes,
    connections,
    settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
  });
  return { id: created.id, webhookId, triggerName, productionUrl: productionUrlOf(stack, webhookId) };
}
