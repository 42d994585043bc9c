import { VENDORS, type VendorDefinition, type VendorId } from '../shared';
import type { Subscription } from '../simulator';
import type { Execution } from './n8n-api';
import type { N8nStack } from './stack';
import { pause, waitFor } from './wait';
import { createTriggerWorkflow, credentialFor, type TriggerWorkflow, type TriggerWorkflowOptions } from './workflows';

export interface Deployment extends TriggerWorkflow {
  readonly vendor: VendorDefinition;
  /** The signing secret of the live subscription or of the user's vendor settings. */
  secret(): Promise<string>;
  publish(): Promise<void>;
  unpublish(): Promise<void>;
}

/** Live subscriptions at the simulated vendor that deliver to `url`. */
export async function liveAt(stack: N8nStack, vendor: VendorId, url: string): Promise<Subscription[]> {
  const response = await fetch(`${stack.sim.url}/_control/webhooks?vendor=${vendor}`);
  return ((await response.json()) as Subscription[]).filter((hook) => hook.active && hook.url === url);
}

async function answersAt(url: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await response.text();
  return response.status;
}

/**
 * A workflow with the vendor's trigger, set up as a user would: the credential, and for a
 * vendor without an API, the production URL and secret entered in the vendor's settings.
 */
export async function deployTrigger(stack: N8nStack, vendorId: VendorId, options: DeployOptions = {}): Promise<Deployment> {
  const vendor = VENDORS[vendorId] as VendorDefinition;
  const credentialId = await createVendorCredential(stack, vendor);
  const workflow = await createTriggerWorkflow(stack, vendor, credentialId, options);
  return deploymentOf(stack, vendor, workflow, options.events, await options.deliverVia?.(workflow.productionUrl));
}

export interface DeployOptions extends TriggerWorkflowOptions {
  /** For a vendor without an API: the URL entered in its settings, when it is not n8n's own (a proxy). */
  readonly deliverVia?: (productionUrl: string) => Promise<string>;
}

export const manualSecretOf = (vendor: VendorDefinition) => `${vendor.id}-demo-secret`;

export async function createVendorCredential(stack: N8nStack, vendor: VendorDefinition): Promise<string> {
  const credential = credentialFor(vendor, stack.sim, manualSecretOf(vendor));
  return (await stack.api.createCredential(`${vendor.name} credential`, credential.type, credential.data)).id;
}

/** The workflow's static data as n8n stores it, serialized. */
export async function storedStaticData(stack: N8nStack, workflowId: string): Promise<string> {
  return JSON.stringify((await stack.api.call<{ staticData?: unknown }>('GET', `/workflows/${workflowId}`)).staticData ?? null);
}

/**
 * Resolves, with the vendor's one live subscription at `url`, once n8n has saved its secret in the
 * workflow's static data: until then its deliveries cannot be verified (they are answered 401).
 * Should a stale write have lost that secret where no processor saw it, the trigger subscribes
 * afresh a minute or so later (nodes/trigger/lost-subscription.ts), so the wait allows for that.
 */
export async function subscriptionHeld(stack: N8nStack, vendor: VendorId, workflowId: string, url: string): Promise<Subscription> {
  const state = async () => ({
    live: await liveAt(stack, vendor, url),
    staticData: await storedStaticData(stack, workflowId),
  });
  const held = await waitFor(`n8n to hold the secret of ${vendor}'s subscription at ${url}`, state, ({ live, staticData }) => live.length === 1 && staticData.includes(live[0]!.id), 150_000);
  return held.live[0]!;
}

/**
 * Resolves once the workflow's static data reads the same twice in a row. A delivery answered a
 * moment ago may not have written its copy back yet: a check of the static data made before that
 * write lands can see what the write then undoes (docs/design/lost-subscription.md).
 */
export async function settledStaticData(stack: N8nStack, workflowId: string): Promise<void> {
  // Unset until the first read, so the two reads compared are always waitFor's poll interval apart.
  let previous: string | undefined;
  await waitFor(`the static data of workflow ${workflowId} to settle`, () => storedStaticData(stack, workflowId), (current) => {
    const settled = current === previous;
    previous = current;
    return settled;
  });
}

/** Wraps a created workflow; for a vendor without an API, enters its URL in the vendor's settings. */
export async function deploymentOf(
  stack: N8nStack,
  vendor: VendorDefinition,
  workflow: TriggerWorkflow,
  chosen?: readonly string[],
  enteredUrl = workflow.productionUrl,
): Promise<Deployment> {
  const vendorId = vendor.id as VendorId;
  const events = chosen?.includes('*') === false ? chosen : undefined;
  const isApi = vendor.registration.kind === 'api';
  if (!isApi) {
    await fetch(`${stack.sim.url}/_control/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ vendor: vendorId, url: enteredUrl, secret: manualSecretOf(vendor), events }),
    });
  }
  return {
    ...workflow,
    vendor,
    async secret() {
      if (!isApi) return manualSecretOf(vendor);
      const [live] = await liveAt(stack, vendorId, workflow.productionUrl);
      if (!live) throw new Error(`${vendor.name} holds no live subscription for ${workflow.productionUrl}`);
      return live.secret;
    },
    async publish() {
      await stack.api.publish(workflow.id);
      if (isApi) {
        await subscriptionHeld(stack, vendorId, workflow.id, workflow.productionUrl);
      } else await waitFor(`n8n to register ${workflow.productionUrl}`, () => answersAt(workflow.productionUrl), (status) => status !== 404);
    },
    async unpublish() {
      await stack.api.unpublish(workflow.id);
      if (isApi) await waitFor(`${vendor.name} to drop the subscription`, () => liveAt(stack, vendorId, workflow.productionUrl), (hooks) => hooks.length === 0);
      else await waitFor(`n8n to unregister ${workflow.productionUrl}`, () => answersAt(workflow.productionUrl), (status) => status === 404);
    },
  };
}

/** The executions of a workflow once `count` of them have finished (and no more arrived meanwhile). */
export async function executionsOf(stack: N8nStack, workflowId: string, count: number): Promise<Execution[]> {
  // Queue mode adds "new": queued, not yet taken by a worker.
  const finished = (list: Execution[]) => list.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
  const statuses = (list: Execution[]) => list.map((execution) => execution.status).join(' ');
  const seen = await waitFor(`${count} finished executions of ${workflowId}`, async () => {
    const all = await stack.api.executions(workflowId);
    return { finished: finished(all).length, statuses: statuses(all), all };
  }, (state) => state.finished >= count);
  return seen.all;
}

/** Every execution of a workflow once n8n has had time to start any late one: for counting what did not run. */
export async function executionsAfterQuiet(stack: N8nStack, workflowId: string, quietMs = 1500): Promise<Execution[]> {
  await pause(quietMs);
  return stack.api.allExecutions(workflowId, true);
}

/** The first output item of the trigger in an execution. */
export function triggerItem(execution: Execution | undefined, triggerName: string): Record<string, unknown> | undefined {
  return execution?.data?.resultData?.runData?.[triggerName]?.[0]?.data?.main?.[0]?.[0]?.json;
}
