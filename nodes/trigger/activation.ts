import { sleep, type IExecuteFunctions, type INodeExecutionData, type ITriggerFunctions, type ITriggerResponse, type IWebhookFunctions } from 'n8n-workflow';
import { rememberBounded, triggerScope } from './memory';

/** Whether n8n has this trigger's activation up in this process: `trigger` is called on activation, its close function on the way down. */
interface Down {
  readonly since: number;
  readonly reopened: Promise<void>;
  readonly reopen: () => void;
}

const activations = new Map<string, { down?: Down }>();
/** A stopping n8n exits within this; a multi-main instance stepped down from leader goes on serving and must not refuse for good. */
const DOWN_FOR_AT_MOST_MS = 30_000;

/** The node's `trigger`: it starts nothing; its close function marks the activation down until the next one. */
export async function activationWatch(this: ITriggerFunctions): Promise<ITriggerResponse> {
  const scope = triggerScope(this);
  const previous = activations.get(scope);
  const activation: { down?: Down } = {};
  rememberBounded(activations, scope, activation, 10_000);
  previous?.down?.reopen();
  return {
    // Closes this activation only: one that ends after a newer one began (a republish) leaves the newer one up.
    closeFunction: async () => {
      if (activation.down) return;
      let reopen = () => {};
      const reopened = new Promise<void>((resolve) => (reopen = resolve));
      activation.down = { since: Date.now(), reopened, reopen };
    },
  };
}

/** With `trigger` and no `execute`, a test execution would run `trigger` again instead of passing the delivery's items on. */
export async function passItemsOn(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return [this.getInputData()];
}

/** Since when n8n has had the trigger's activation down, while that counts; undefined while it is up. */
export function activationDown(context: IWebhookFunctions): Down | undefined {
  const down = activations.get(triggerScope(context))?.down;
  return down === undefined || Date.now() - down.since > DOWN_FOR_AT_MOST_MS ? undefined : down;
}

/** Waits up to `holdMs` for the next activation (a republish puts it back within moments); false if none comes. */
export async function reactivatedWithin(down: Down, holdMs: number): Promise<boolean> {
  return await Promise.race([down.reopened.then(() => true), sleep(holdMs).then(() => false)]);
}
