import { randomUUID } from 'node:crypto';
import { freshSample, parseEvent, VENDORS, type VendorId } from '../shared';
import type { N8nStack } from './stack';
import { pause } from './wait';

/** One event the simulated vendor had, and the deliveries it started for it (none when it held no live subscription). */
export interface SentEvent {
  readonly event: string;
  /** The trigger's dedupe key for it: how its executions are found. */
  readonly dedupeKey: string;
  readonly sentAt: number;
  readonly deliveryIds: readonly string[];
}

/**
 * Has the simulated vendor send distinct events of one type at a fixed rate, each through the
 * vendor's own delivery policy (its signature, timeout and retries), until stopped.
 */
export class ContinuousSender {
  readonly sent: SentEvent[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastAt = 0;

  constructor(
    private readonly stack: N8nStack,
    readonly vendor: VendorId,
    readonly event: string,
    private readonly ratePerSecond: number,
  ) {}

  start(): void {
    const interval = 1000 / this.ratePerSecond;
    const started = Date.now();
    this.running = (async () => {
      for (let index = 0; !this.stopping; index += 1) {
        await pause(Math.max(0, started + index * interval - Date.now()));
        if (!this.stopping) await this.sendOne();
      }
    })();
  }

  /** Stops sending (deliveries under way go on); resolves with every event sent. */
  async stop(): Promise<readonly SentEvent[]> {
    this.stopping = true;
    await this.running;
    return this.sent;
  }

  private async sendOne(): Promise<void> {
    const vendor = VENDORS[this.vendor];
    // Vendors without an event id are deduped by a digest of the body: a timestamp of its own keeps each event distinct.
    const at = Math.max(Date.now(), this.lastAt + 1);
    this.lastAt = at;
    const payload = freshSample(vendor, this.event, { id: randomUUID(), at: new Date(at) });
    const parsed = parseEvent(vendor, Buffer.from(JSON.stringify(payload)));
    if (!parsed.ok) throw new Error(`The ${vendor.name} sample for ${this.event} does not parse: ${parsed.message}`);
    const response = await fetch(`${this.stack.sim.url}/_control/fire`, { method: 'POST', body: JSON.stringify({ vendor: this.vendor, event: this.event, payload }) });
    const answer = (await response.json()) as { dispatched?: { deliveryId: string }[]; error?: string };
    if (!response.ok || answer.dispatched === undefined) throw new Error(`The simulator refused to fire ${this.event}: ${response.status} ${answer.error ?? ''}`);
    this.sent.push({ event: this.event, dedupeKey: parsed.dedupeKey, sentAt: at, deliveryIds: answer.dispatched.map((dispatch) => dispatch.deliveryId) });
  }
}
