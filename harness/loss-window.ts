import { randomUUID } from 'node:crypto';
import { VENDORS, type VendorId } from '../shared';
import type { DeliveryAttempt } from '../simulator';
import { ContinuousSender, type SentEvent } from './continuous-sender';
import { deployTrigger, type Deployment } from './deployment';
import type { EditableWorkflow, Execution } from './n8n-api';
import type { QueueStack } from './queue-stack';
import type { N8nStack, Stack } from './stack';
import { pause, waitFor } from './wait';

/** What happens to n8n while the vendor keeps sending. */
export type LossCase = RestartCase | 'republish-events' | 'republish-unchanged';
type RestartCase = 'restart' | 'drained-restart' | 'rolling-restart' | 'drained-rolling-restart';

export const LOSS_CASES: Readonly<Record<LossCase, string>> = {
  restart: 'n8n restarts',
  'drained-restart': 'every process at once, the processors taken out of the balancer first',
  'rolling-restart': 'n8n restarts one process at a time',
  'drained-rolling-restart': 'one process at a time, each processor out of the balancer while it restarts',
  'republish-events': 'trigger republished with other events',
  'republish-unchanged': 'workflow republished, trigger unchanged',
};

/** One vendor in one case: what the vendor sent, what ran, and every answer its deliveries got. */
export interface LossRow {
  readonly mode: string;
  readonly vendor: VendorId;
  readonly case: LossCase;
  /** Distinct events the vendor had while the case ran. */
  readonly sent: number;
  /** Distinct events among the workflow's executions, recovered ones included. */
  readonly executed: number;
  /** Executed only from an item the trigger fetched over the vendor's API (`convhooks.recoveredFrom: "api"`). */
  readonly recovered: number;
  readonly lost: number;
  /** Executions beyond one per event. */
  readonly duplicated: number;
  /** Events sent while the vendor held no live subscription for the trigger: never delivered at all. */
  readonly noSubscription: number;
  /**
   * Events that never ran because n8n marked their execution crashed before it started: in queue
   * mode the main instance's queue recovery, at its start, takes an execution a processor has just
   * created for a job not yet in Redis for a dangling one, and the worker then skips it. The
   * execution stays in n8n's list with the trigger's items, and retrying it runs them.
   */
  readonly crashedUnrun: number;
  /** Events answered 2xx at some attempt that did not run exactly once, other than those: zero wherever the trigger keeps its word. */
  readonly acceptedNotRunOnce: number;
  /** Every delivery attempt's answer: the status, or `refused` / `timeout` when none came. */
  readonly answers: Readonly<Record<string, number>>;
  /** From the first to the last event whose first attempt failed or that had no subscription; 0 when none did. */
  readonly windowMs: number;
}

export interface LossSetup {
  /** How the table names this setup: single process, queue mode. */
  readonly mode: string;
  readonly stack: N8nStack;
  readonly vendors: readonly VendorId[];
  readonly cases: readonly LossCase[];
  /** Events per second per vendor. */
  readonly ratePerSecond: number;
  /** Traffic before the case's action starts. */
  readonly leadMs: number;
  /** The restarts this setup can make: stop n8n and start it again, all at once or one process at a time. */
  readonly restarts: Partial<Record<RestartCase, () => Promise<void>>>;
}

/** A published trigger of one vendor, and the events of the first two in its catalog that the measurement toggles. */
interface Target {
  readonly deployment: Deployment;
  readonly vendor: VendorId;
  /** What the sender sends: chosen before and after every republish. */
  readonly event: string;
  readonly other: string;
  edition: number;
}

const EDITION_NODE = 'Edition';

/** A Set node after the trigger: the part of the workflow a "trigger unchanged" republish edits. */
const editionNode = (edition: number) => ({
  name: EDITION_NODE,
  type: 'n8n-nodes-base.set',
  typeVersion: 3.4,
  parameters: { mode: 'manual', includeOtherFields: true, assignments: { assignments: [{ id: randomUUID(), name: 'edition', value: String(edition), type: 'string' }] }, options: {} },
});

async function publishTarget(stack: N8nStack, vendor: VendorId, mode: string): Promise<Target> {
  const [event, other] = Object.keys(VENDORS[vendor].events).filter((name) => name !== 'webhook.test') as [string, string];
  const deployment = await deployTrigger(stack, vendor, { events: [event], name: `Loss window (${mode}): ${VENDORS[vendor].name}`, downstream: [editionNode(1)] });
  await deployment.publish();
  return { deployment, vendor, event, other, edition: 1 };
}

const withNode = (name: string, change: (parameters: Record<string, unknown>) => Record<string, unknown>) => (workflow: EditableWorkflow): EditableWorkflow => ({
  ...workflow,
  nodes: workflow.nodes.map((node) => (node.name === name ? { ...node, parameters: change(node.parameters) } : node)),
});

/** Publishes each trigger with its events toggled between one and two: n8n replaces the trigger's registration. */
async function republishWithOtherEvents(stack: N8nStack, targets: readonly Target[]): Promise<void> {
  for (const target of targets) {
    await stack.api.publishEdited(target.deployment.id, withNode(target.deployment.triggerName, (parameters) => {
      const events = parameters.events as string[];
      return { ...parameters, events: events.length === 1 ? [target.event, target.other] : [target.event] };
    }));
  }
}

/** Publishes each workflow with only its Set node's value changed. */
async function republishUnchanged(stack: N8nStack, targets: readonly Target[]): Promise<void> {
  for (const target of targets) {
    target.edition += 1;
    await stack.api.publishEdited(target.deployment.id, withNode(EDITION_NODE, () => editionNode(target.edition).parameters));
  }
}

async function attemptsOf(stack: N8nStack, vendor: VendorId): Promise<Map<string, DeliveryAttempt[]>> {
  const response = await fetch(`${stack.sim.url}/_control/deliveries?vendor=${vendor}`);
  const byDelivery = new Map<string, DeliveryAttempt[]>();
  for (const attempt of (await response.json()) as DeliveryAttempt[]) byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
  return byDelivery;
}

const delivered = (attempts: readonly DeliveryAttempt[] | undefined) => attempts?.some((attempt) => attempt.outcome === 'delivered') ?? false;
const ended = (attempts: readonly DeliveryAttempt[] | undefined) => attempts?.some((attempt) => attempt.outcome !== 'retrying') ?? false;

/** How many events, of those sent from `from` on, the vendor got a 2xx for. */
async function deliveredSince(stack: N8nStack, sender: ContinuousSender, from: number): Promise<number> {
  const attempts = await attemptsOf(stack, sender.vendor);
  return sender.sent.slice(from).filter((sent) => sent.deliveryIds.some((id) => delivered(attempts.get(id)))).length;
}

/** Resolves once every delivery of these events ended: delivered, or failed after the vendor's last retry. */
async function deliveriesEnded(stack: N8nStack, vendor: VendorId, sent: readonly SentEvent[]): Promise<void> {
  const ids = sent.flatMap((event) => event.deliveryIds);
  // Konvox's last retry comes about 3.5 minutes after the first attempt.
  await waitFor(`${vendor}'s deliveries to end`, async () => {
    const attempts = await attemptsOf(stack, vendor);
    return ids.filter((id) => !ended(attempts.get(id))).length;
  }, (open) => open === 0, 300_000);
}

export interface TriggerRun {
  readonly dedupeKey: string;
  readonly recovered: boolean;
}

const convhooksOf = (json: Record<string, unknown>) => json.convhooks as { dedupeKey?: unknown; recoveredFrom?: unknown } | undefined;

/** Every item the trigger emitted in an execution (a delivery may bring recovered items beside its own). */
export function triggerRuns(execution: Execution, triggerName: string): TriggerRun[] {
  const items = execution.data?.resultData?.runData?.[triggerName]?.[0]?.data?.main?.[0] ?? [];
  return items.map(({ json }) => ({ dedupeKey: String(convhooksOf(json)?.dedupeKey), recovered: convhooksOf(json)?.recoveredFrom === 'api' }));
}

/** The dedupe keys of the trigger's items in an execution n8n marked crashed before it ran. */
export function crashedUnrunKeys(execution: Execution, triggerName: string): string[] {
  if (execution.status !== 'crashed' || execution.data?.resultData?.runData?.[triggerName] !== undefined) return [];
  const waiting = (execution.data?.executionData?.nodeExecutionStack ?? []).filter((entry) => entry.node.name === triggerName);
  return waiting.flatMap((entry) => entry.data?.main?.[0] ?? []).map(({ json }) => String(convhooksOf(json)?.dedupeKey));
}

interface Executed {
  readonly runs: readonly TriggerRun[];
  readonly crashedUnrun: ReadonlySet<string>;
}

/**
 * The trigger's runs, and the events of executions n8n marked crashed before they ran, once every
 * accepted event is in one or the other and n8n has had time to start any late or repeated one.
 */
async function executedOf(stack: N8nStack, target: Target, accepted: ReadonlySet<string>): Promise<Executed> {
  const read = async () => {
    const all = await stack.api.allExecutions(target.deployment.id, true);
    const runs = all.flatMap((execution) => triggerRuns(execution, target.deployment.triggerName));
    const crashedUnrun = new Set(all.flatMap((execution) => crashedUnrunKeys(execution, target.deployment.triggerName)));
    const settled = new Set([...runs.map((run) => run.dedupeKey), ...crashedUnrun]);
    return { open: all.filter((execution) => ['new', 'running', 'waiting'].includes(execution.status)).length, missing: [...accepted].filter((key) => !settled.has(key)).length, runs, crashedUnrun };
  };
  // An accepted event that never runs is what this measures, so running out of patience is a result, not a failure.
  await waitFor(`the executions of ${target.vendor}'s accepted events`, read, (state) => state.open === 0 && state.missing === 0, 120_000).catch(() => undefined);
  await pause(3000);
  return waitFor(`${target.vendor}'s executions to finish`, read, (state) => state.open === 0, 60_000);
}

/**
 * A row's attempts that n8n did not answer 2xx: all of them, and those it surely did not run
 * (every answer but a timeout: a delivery the vendor gave up waiting for may still have run).
 */
export function failedAttempts(row: Pick<LossRow, 'answers'>): { failed: number; refused: number } {
  const failed = Object.entries(row.answers).filter(([answer]) => !answer.startsWith('2'));
  const count = (entries: [string, number][]) => entries.reduce((sum, [, times]) => sum + times, 0);
  return { failed: count(failed), refused: count(failed.filter(([answer]) => answer !== 'timeout')) };
}

const answerOf = (attempt: DeliveryAttempt) => (attempt.status !== null ? String(attempt.status) : attempt.error?.startsWith('no answer within') ? 'timeout' : 'refused');

function tally(setup: LossSetup, target: Target, lossCase: LossCase, sent: readonly SentEvent[], attempts: Map<string, DeliveryAttempt[]>, { runs, crashedUnrun: unrun }: Executed): LossRow {
  const byKey = new Map<string, TriggerRun[]>();
  for (const run of runs) byKey.set(run.dedupeKey, [...(byKey.get(run.dedupeKey) ?? []), run]);
  const answers: Record<string, number> = {};
  let executed = 0;
  let recovered = 0;
  let duplicated = 0;
  let crashedUnrun = 0;
  let acceptedNotRunOnce = 0;
  let noSubscription = 0;
  const missed: number[] = [];
  for (const event of sent) {
    // Only the trigger's own URL: a subscription another test left at the vendor delivers the same events elsewhere.
    const its = event.deliveryIds.flatMap((id) => attempts.get(id) ?? []).filter((attempt) => attempt.url === target.deployment.productionUrl);
    if (its.length === 0) noSubscription += 1;
    for (const attempt of its) answers[answerOf(attempt)] = (answers[answerOf(attempt)] ?? 0) + 1;
    const eventRuns = byKey.get(event.dedupeKey) ?? [];
    if (eventRuns.length > 0) executed += 1;
    if (eventRuns.length > 0 && eventRuns.every((run) => run.recovered)) recovered += 1;
    duplicated += Math.max(0, eventRuns.length - 1);
    if (eventRuns.length === 0 && unrun.has(event.dedupeKey)) crashedUnrun += 1;
    else if (its.some((attempt) => attempt.outcome === 'delivered') && eventRuns.length !== 1) acceptedNotRunOnce += 1;
    if (its.find((attempt) => attempt.attempt === 1)?.outcome !== 'delivered') missed.push(event.sentAt);
  }
  return {
    mode: setup.mode,
    vendor: target.vendor,
    case: lossCase,
    sent: sent.length,
    executed,
    recovered,
    lost: sent.length - executed,
    duplicated,
    noSubscription,
    crashedUnrun,
    acceptedNotRunOnce,
    answers,
    windowMs: missed.length === 0 ? 0 : Math.max(...missed) - Math.min(...missed),
  };
}

/** Runs the case's action while every target's vendor keeps sending, until each is delivered to again; then counts. */
async function measureCase(setup: LossSetup, targets: readonly Target[], lossCase: LossCase): Promise<LossRow[]> {
  const { stack } = setup;
  const senders = targets.map((target) => new ContinuousSender(stack, target.vendor, target.event, setup.ratePerSecond));
  for (const sender of senders) sender.start();
  await pause(setup.leadMs);
  if (lossCase === 'republish-events') await republishWithOtherEvents(stack, targets);
  else if (lossCase === 'republish-unchanged') await republishUnchanged(stack, targets);
  else {
    const restart = setup.restarts[lossCase];
    if (!restart) throw new Error(`${setup.mode} has no way to run "${LOSS_CASES[lossCase]}"`);
    await restart();
  }
  // Sending goes on until each vendor's deliveries are answered again: the window has closed behind the action.
  const after = senders.map((sender) => sender.sent.length);
  for (const [index, sender] of senders.entries()) {
    await waitFor(`${sender.vendor} to be delivered to again`, () => deliveredSince(stack, sender, after[index]!), (count) => count >= 3, 120_000);
  }
  const sent = await Promise.all(senders.map((sender) => sender.stop()));
  const rows: LossRow[] = [];
  for (const [index, target] of targets.entries()) {
    await deliveriesEnded(stack, target.vendor, sent[index]!);
    const attempts = await attemptsOf(stack, target.vendor);
    const accepted = new Set(sent[index]!.filter((event) => event.deliveryIds.some((id) => delivered(attempts.get(id)))).map((event) => event.dedupeKey));
    rows.push(tally(setup, target, lossCase, sent[index]!, attempts, await executedOf(stack, target, accepted)));
  }
  return rows;
}

/**
 * Publishes one trigger per vendor (a vendor with an API subscribes through the simulator; one
 * without has the URL entered in its settings) and measures each case in turn on the same
 * triggers: events sent continuously through each vendor's delivery policy while n8n restarts
 * or a workflow is republished, then what ran, what was lost, what ran twice and every answer.
 */
export async function measureLossWindows(setup: LossSetup): Promise<LossRow[]> {
  const targets: Target[] = [];
  for (const vendor of setup.vendors) targets.push(await publishTarget(setup.stack, vendor, setup.mode));
  const rows: LossRow[] = [];
  for (const lossCase of setup.cases) {
    console.log(`Loss window, ${setup.mode}: ${LOSS_CASES[lossCase]}…`);
    rows.push(...(await measureCase(setup, targets, lossCase)));
  }
  for (const target of targets) await target.deployment.unpublish();
  return rows;
}

/** A single n8n has one way to restart: all of it. */
export const singleProcessRestarts = (stack: Stack): LossSetup['restarts'] => ({ restart: () => stack.n8n.restart() });

/** Queue mode restarts every process at once, or one at a time as an operator rolls a change out. */
export const queueRestarts = (stack: QueueStack): LossSetup['restarts'] => {
  const processes = [stack.main, ...stack.processors, stack.worker];
  return {
    restart: async () => {
      await Promise.all(processes.map((process) => process.restart()));
    },
    // Nothing in flight at a processor as it stops: nginx refuses meanwhile, and gets them back only once all are up.
    'drained-restart': async () => {
      await stack.balancer.drain('every');
      await Promise.all(processes.map((process) => process.restart()));
      await stack.balancer.drain('every', false);
    },
    'rolling-restart': async () => {
      for (const process of processes) await process.restart();
    },
    'drained-rolling-restart': async () => {
      await stack.main.restart();
      for (const [index, processor] of stack.processors.entries()) {
        await stack.balancer.drain(index);
        await processor.restart();
        await stack.balancer.drain(index, false);
      }
      await stack.worker.restart();
    },
  };
};
