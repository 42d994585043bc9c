import { isVendorId, VENDORS, type VendorId } from '../shared';
import type { DispatchRun } from './deliverer';
import { BadRequest, error, isRecord, type Incoming, type Reply, type Route } from './http-kit';
import { parseFireRequest, type Simulator } from './simulator';

function vendorParam(value: unknown): VendorId {
  if (typeof value !== 'string' || !isVendorId(value)) {
    throw new BadRequest(`"vendor" must be one of ${Object.keys(VENDORS).join(', ')}.`);
  }
  return value;
}

const record = (request: Incoming): Record<string, unknown> => {
  if (!isRecord(request.body)) throw new BadRequest('Expected a JSON object.');
  return request.body;
};

const optionalNumber = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new BadRequest(`"${name}" must be a non-negative number.`);
  return value;
};

/**
 * Answers a fire or a resend with what was dispatched; with `"wait": true` in the body, only
 * once every attempt (retries included) ended, with those attempts.
 */
async function dispatchReply(simulator: Simulator, run: DispatchRun, request: Incoming): Promise<Reply> {
  const wait = isRecord(request.body) && request.body.wait === true;
  if (wait) await run.done;
  const ids = new Set(run.dispatched.map((dispatch) => dispatch.deliveryId));
  const attempts = wait ? simulator.store.attempts.filter((attempt) => ids.has(attempt.deliveryId)) : [];
  return { status: 202, body: { dispatched: run.dispatched, attempts } };
}

/**
 * The test harness's handle on the simulator, under `/_control`: configure webhooks as a user
 * would in a vendor's settings, fire events, read delivery logs, inject faults, reset.
 */
export function controlRoutes(simulator: Simulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/_control/reset',
      handler: () => {
        simulator.reset();
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      pattern: '/_control/webhooks',
      handler: ({ query }) => {
        const vendor = query.get('vendor');
        const all = [...simulator.store.subscriptions.values()];
        return { status: 200, body: vendor === null ? all : all.filter((hook) => hook.vendor === vendorParam(vendor)) };
      },
    },
    {
      method: 'POST',
      pattern: '/_control/webhooks',
      handler: (request) => {
        const body = record(request);
        const vendor = vendorParam(body.vendor);
        const { url, events } = simulator.validateSubscription(vendor, body.url, body.events, false);
        if (body.secret !== undefined && (typeof body.secret !== 'string' || body.secret === '')) {
          throw new BadRequest('"secret" must be a non-empty string.');
        }
        return { status: 201, body: simulator.store.addSubscription(vendor, url, events, body.secret as string | undefined) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/_control/webhooks/:vendor/:id',
      handler: ({ params }) => {
        const hook = simulator.store.find(vendorParam(params.vendor), params.id ?? '');
        if (!hook) return error(404, `Webhook ${params.id} not found.`);
        simulator.store.subscriptions.delete(hook.id);
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      pattern: '/_control/fire',
      handler: (request) => dispatchReply(simulator, simulator.fire(parseFireRequest(request.body)), request),
    },
    {
      method: 'POST',
      pattern: '/_control/deliveries/:deliveryId/resend',
      handler: (request) => {
        const run = simulator.resend(request.params.deliveryId ?? '');
        return run ? dispatchReply(simulator, run, request) : error(404, `Delivery ${request.params.deliveryId} not found, or its webhook is gone.`);
      },
    },
    {
      method: 'GET',
      pattern: '/_control/api-calls',
      handler: () => ({ status: 200, body: Object.fromEntries(simulator.apiCalls) }),
    },
    {
      method: 'GET',
      pattern: '/_control/deliveries',
      handler: ({ query }) => {
        const vendor = query.get('vendor');
        const webhookId = query.get('webhookId');
        const deliveryIds = query.getAll('deliveryId');
        const after = Number(query.get('after') ?? '0');
        if (!Number.isInteger(after) || after < 0) throw new BadRequest('"after" must be a whole number.');
        const attempts = simulator.store.attempts.filter(
          (attempt) =>
            attempt.seq > after &&
            (vendor === null || attempt.vendor === vendor) &&
            (webhookId === null || attempt.webhookId === webhookId) &&
            (deliveryIds.length === 0 || deliveryIds.includes(attempt.deliveryId)),
        );
        return { status: 200, body: attempts };
      },
    },
    {
      method: 'POST',
      pattern: '/_control/faults/api',
      handler: (request) => {
        const body = record(request);
        const vendor = vendorParam(body.vendor);
        if (VENDORS[vendor].registration.kind !== 'api') throw new BadRequest(`${VENDORS[vendor].name} has no API to fail.`);
        const status = body.status;
        if (status !== undefined && status !== 401 && status !== 429 && status !== 500 && status !== 503) {
          throw new BadRequest('"status" must be 401, 429, 500 or 503.');
        }
        const delayMs = optionalNumber(body.delayMs, 'delayMs');
        if (status === undefined && delayMs === undefined) throw new BadRequest('Give a "status", a "delayMs", or both.');
        const times = optionalNumber(body.times, 'times') ?? 1;
        simulator.addApiFault(vendor, { status, delayMs, retryAfterSeconds: optionalNumber(body.retryAfterSeconds, 'retryAfterSeconds'), remaining: times });
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      pattern: '/_control/faults/delivery',
      handler: (request) => {
        const body = record(request);
        const vendor = vendorParam(body.vendor);
        for (const flag of ['duplicate', 'reorder'] as const) {
          if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw new BadRequest(`"${flag}" must be true or false.`);
        }
        simulator.setDeliveryFaults(vendor, {
          duplicate: body.duplicate as boolean | undefined,
          reorder: body.reorder as boolean | undefined,
          loseAnswers: optionalNumber(body.loseAnswers, 'loseAnswers'),
        });
        return { status: 200, body: { ok: true } };
      },
    },
  ];
}
