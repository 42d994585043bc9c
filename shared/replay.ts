import { jsonKind, type JsonObject } from './json';
import type { VendorDefinition } from './vendor-definition';

/** How far a delivery's signed timestamp may lie from the receiver's clock. */
export interface ReplayWindow {
  /** Either way: a sender's clock may run ahead as well as behind. 0: no check. */
  readonly minutes: number;
  /** The host's clock, passed in: the core reads no time of its own. */
  readonly now: Date;
}

export type ReplayFailure = 'stale_event';

const WHOLE_MINUTES = /^\d+$/;

/**
 * The window a host's setting asks for. The setting comes from an imported workflow or from a
 * Zapier connection (where every field is text), so it may be anything: only a whole number of
 * minutes, 0 or more, counts; anything else, or nothing, is the default, 0 (off).
 */
export function replayWindow(setting: unknown, now: Date): ReplayWindow {
  const text = typeof setting === 'string' ? setting.trim() : undefined;
  if (typeof setting === 'number' && Number.isSafeInteger(setting) && setting >= 0) return { minutes: setting, now };
  if (text !== undefined && WHOLE_MINUTES.test(text)) return { minutes: Number(text), now };
  return { minutes: 0, now };
}

/**
 * Why the window is off unless a user sets it, as the hosts say beside the setting. No vendor
 * signs when it sent a delivery: the body's time is when the event was made, which a backlog or
 * a clock running off pushes out of any window, and a refused genuine event is lost for good.
 */
export function replayDefaultNote(vendor: VendorDefinition): string {
  return `Off (0) by default: the signed ${vendor.timestampField} is when ${vendor.name} made the event, not when it sent it, so a backlog would refuse a genuine delivery for good; dedupe refuses recent repeats.`;
}

/**
 * ISO 8601 with a date, a time and a zone, as every vendor doc shows its timestamps. A time
 * without a zone would be read in the host's own zone, so one delivery could be fresh on one
 * server and stale on another.
 */
const ZONED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;

const MINUTE_MS = 60_000;

/** Seconds near the window, where "5 minutes old, outside the 5-minute window" would read as a contradiction. */
function span(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 10) return `${Math.floor(ms / 1000)} seconds`;
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.floor(hours / 24)} days`;
}

/**
 * Why a verified delivery falls outside the window, or undefined when it is inside (or the window
 * is 0). Only meaningful on a verified body: an unsigned timestamp proves nothing.
 *
 * A signed body without a readable timestamp is refused, not waved through: it cannot be placed
 * in time, and letting it pass would turn the window off without anyone seeing it. A forger
 * cannot cause this (the body is signed); a vendor that changed its format can, and the message
 * says which field to look at.
 */
export function staleEventMessage(vendor: VendorDefinition, body: JsonObject, window: ReplayWindow): string | undefined {
  if (window.minutes <= 0) return undefined;
  const field = vendor.timestampField;
  const limit = `the ${window.minutes}-minute replay window`;
  const value = body[field];
  if (value === undefined) return `The signed body has no timestamp ("${field}"), so it cannot be placed inside ${limit}.`;
  const at = typeof value === 'string' && ZONED_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : jsonKind(value);
    return `The signed "${field}" is ${shown}, not an ISO 8601 date-time with a time zone, so it cannot be placed inside ${limit}.`;
  }
  const age = window.now.getTime() - at;
  if (age > window.minutes * MINUTE_MS) return `The signed "${field}" ${value} is ${span(age)} old, outside ${limit}.`;
  if (-age > window.minutes * MINUTE_MS) return `The signed "${field}" ${value} is ${span(-age)} ahead of this server's clock, outside ${limit}.`;
  return undefined;
}
