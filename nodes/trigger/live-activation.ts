import { sleep, type IExecuteFunctions, type INodeExecutionData, type ITriggerFunctions, type ITriggerResponse, type IWebhookFunctions } from 'n8n-workflow';
import { rememberBounded, triggerScope } from './process-memory';

/**
 * Whether n8n has this trigger's activation up in this process. n8n calls a node's `trigger` when
 * it activates a workflow (a publish, a republish, its own start) and that call's close function
 * when it takes the activation down: as it stops (first among its shutdown steps, while its HTTP
 * server still takes requests and well before it closes its database), and on an unpublish or a
 * republish that changes the trigger (the old version's activation). A webhook node learns
 * of neither otherwise. A queue-mode webhook processor activates nothing and is never closed.
 */
interface Closed {
  readonly at: number;
  readonly reopened: Promise<void>;
  readonly reopen: () => void;
}

interface Activation {
  closed?: Closed;
}

const MAX_TRIGGERS = 10_000;
/**
 * How long after n8n took an activation down it still counts as down. A stopping n8n exits
 * within its graceful-shutdown timeout (30 s by default), and an unpublished trigger receives
 * nothing; a main instance that n8n's multi-main setup stepped down from leader is closed too,
 * though it keeps serving webhooks, and must not refuse them for good.
 */
const DOWN_FOR_AT_MOST_MS = 30_000;
const activations = new Map<string, Activation>();

/** The node's `trigger`: it starts nothing; its close function marks the activation down until the next one. */
export async function activationWatch(this: ITriggerFunctions): Promise<ITriggerResponse> {
  const scope = triggerScope(this);
  const previous = activations.get(scope);
  const activation: Activation = {};
  rememberBounded(activations, scope, activation, MAX_TRIGGERS);
  previous?.closed?.reopen();
  return {
    // Closes this activation only: one that ends after a newer one began (a republish) leaves the newer one up.
    closeFunction: async () => {
      if (activation.closed) return;
      let reopen = () => {};
      const reopened = new Promise<void>((resolve) => (reopen = resolve));
      activation.closed = { at: Date.now(), reopened, reopen };
    },
  };
}

/**
 * A node with `trigger` and no `execute` would have n8n run `trigger` again, in place of passing the
 * delivery's items on, in a test execution; with `execute`, every execution passes them on.
 */
export async function passItemsOn(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return [this.getInputData()];
}

/** How n8n took the trigger's activation down, while it counts as down; undefined while it is up. */
export function activationDown(context: IWebhookFunctions): Closed | undefined {
  const closed = activations.get(triggerScope(context))?.closed;
  return closed === undefined || Date.now() - closed.at > DOWN_FOR_AT_MOST_MS ? undefined : closed;
}

/**
 * Waits up to `holdMs` for the next activation (a republish puts it back within moments); false
 * if none comes (n8n is stopping, or the workflow was unpublished).
 */
export async function reactivatedWithin(down: Closed, holdMs: number): Promise<boolean> {
  return await Promise.race([down.reopened.then(() => true), sleep(holdMs).then(() => false)]);
}
