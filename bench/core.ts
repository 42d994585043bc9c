import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { receive, sign, VENDORS } from '../shared';
import { opsPerSecond } from './measure';
import { PAYLOADS } from './payloads';

const SECRET = 'whsec_bench_0123456789abcdef';

export interface CoreRow {
  readonly payload: string;
  readonly bytes: number;
  readonly opsPerSecond: { ours: number; floor: number; standardwebhooks: number; stripe: number; oursForged: number };
  readonly ratios: { oursOverFloor: number; oursOverStandardwebhooks: number; oursOverStripe: number };
}

function fail(what: string): never {
  throw new Error(`bench setup: ${what}`);
}

/** Each verifier on the same body with its own scheme; every one must accept before it is timed. */
export function benchCore(): CoreRow[] {
  const stripe = new Stripe('sk_test_bench');
  const standard = new Webhook(Buffer.from(SECRET).toString('base64'));
  return PAYLOADS.map(({ label, vendor: vendorId, body }) => {
    const vendor = VENDORS[vendorId];
    const headers = { [vendor.signature.header.toLowerCase()]: sign(vendor.signature, body, SECRET) };
    const forgedHeaders = { [vendor.signature.header.toLowerCase()]: sign(vendor.signature, body, 'forged') };
    const options = { secrets: [SECRET] };
    const ours = () => {
      const receipt = receive(vendor, body, headers, options);
      if (!receipt.ok || receipt.issues.length > 0) fail('ours rejected its own delivery');
    };
    const oursForged = () => {
      if (receive(vendor, body, forgedHeaders, options).ok) fail('a forgery passed');
    };
    const given = Buffer.from(headers[vendor.signature.header.toLowerCase()]!, 'hex');
    const floor = () => {
      const expected = createHmac('sha256', SECRET).update(body).digest();
      if (!timingSafeEqual(expected, given)) fail('floor mismatch');
      JSON.parse(body.toString('utf8'));
    };
    const text = body.toString('utf8');
    const timestamp = new Date();
    const standardHeaders = { 'webhook-id': 'msg_bench', 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': standard.sign('msg_bench', timestamp, text) };
    const standardwebhooks = () => standard.verify(text, standardHeaders);
    const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: text, secret: SECRET });
    const stripeVerify = () => stripe.webhooks.constructEvent(body, stripeHeader, SECRET);
    for (const check of [ours, oursForged, floor, standardwebhooks, stripeVerify]) check();
    const measured = opsPerSecond({ ours, floor, standardwebhooks, stripe: stripeVerify, oursForged });
    return {
      payload: label,
      bytes: body.length,
      opsPerSecond: measured,
      ratios: {
        oursOverFloor: measured.ours / measured.floor,
        oursOverStandardwebhooks: measured.ours / measured.standardwebhooks,
        oursOverStripe: measured.ours / measured.stripe,
      },
    };
  });
}
