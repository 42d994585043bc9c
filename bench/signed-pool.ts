import { randomUUID } from 'node:crypto';
import { deliveryHeaders, VENDORS } from '../shared';
import type { PlannedRequest } from './load';
import { PAYLOADS } from './payloads';

/**
 * Distinct Konver deliveries as a vendor sends them: the 1 KB person event, each with an event
 * id of its own (so a distinct dedupe key) and signed with `secret`. With a wrong secret they
 * are forgeries of the same shape.
 */
export function signedPool(size: number, secret: string, method = 'POST'): PlannedRequest[] {
  const template = JSON.parse(PAYLOADS[0]!.body.toString('utf8')) as Record<string, unknown>;
  return Array.from({ length: size }, () => {
    const body = Buffer.from(JSON.stringify({ ...template, id: randomUUID() }));
    return { method, headers: deliveryHeaders(VENDORS.konver, body, secret, undefined), body: body.toString('utf8') };
  });
}

/** One body sent again and again, as the bench measured before dedupe was on (a repeat is then a new execution). */
export function repeatedBody(secret: string): PlannedRequest[] {
  const { body } = PAYLOADS[0]!;
  return [{ method: 'POST', headers: deliveryHeaders(VENDORS.konver, body, secret, undefined), body: body.toString('utf8') }];
}
