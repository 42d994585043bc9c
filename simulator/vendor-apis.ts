import { randomUUID } from 'node:crypto';
import { freshSample, VENDORS, type VendorId } from '../shared';
import { NO_FAULTS } from './deliverer';
import { error, isRecord, type Handler, type Incoming, type Route } from './http-kit';
import type { Simulator } from './simulator';
import type { Subscription } from './store';

/** Guards a vendor API route: injected faults first, then the Bearer key. */
function guarded(simulator: Simulator, vendor: VendorId, handler: Handler): Handler {
  return async (request) => {
    simulator.apiCalls.set(vendor, (simulator.apiCalls.get(vendor) ?? 0) + 1);
    const fault = await simulator.applyApiFault(vendor);
    if (fault) return fault;
    const authorization = request.headers.authorization;
    if (!simulator.authorized(vendor, authorization)) {
      return error(401, authorization ? 'Invalid API key.' : 'Missing Authorization: Bearer <API key> header.');
    }
    return handler(request);
  };
}

/** Sends the vendor's webhook.test event to one webhook and reports what its endpoint answered. */
async function sendTest(simulator: Simulator, subscription: Subscription) {
  const sample = freshSample(VENDORS[subscription.vendor], 'webhook.test', { id: randomUUID(), at: new Date() });
  const run = simulator.deliverer.dispatch(subscription, [{ event: 'webhook.test', body: JSON.stringify(sample) }], NO_FAULTS);
  await run.done;
  const [dispatch] = run.dispatched;
  const attempt = dispatch && simulator.store.lastAttempt(dispatch.deliveryId);
  return { ok: attempt?.outcome === 'delivered', status: attempt?.status ?? null, error: attempt?.error ?? null };
}

/**
 * The one element Converc's doc shows answering `GET /webhooks/events?eventType=call.ended`: of
 * another type, with a timestamp no parser reads. A strict simulator adds it to every answer.
 */
const CONVERC_DOC_EVENT = { id: 'event-uuid', type: 'call.event', createdAt: '2024-01-01T00: 00: 0002', organizationId: 'org-uuid', data: {} };

const bodyField = (request: Incoming, field: string): unknown => (isRecord(request.body) ? request.body[field] : undefined);

/** Converc: `/integrations/webhooks` (create, list, DELETE disables, test) and the recent-events poll. */
function convercRoutes(simulator: Simulator): Route[] {
  const view = (hook: Subscription) => ({
    id: hook.id,
    url: hook.url,
    events: simulator.eventList(hook),
    isActive: hook.active,
    createdAt: hook.createdAt,
    updatedAt: hook.updatedAt,
  });
  const notFound = (id: unknown) => error(404, `Webhook ${String(id)} not found.`);
  return [
    {
      method: 'POST',
      pattern: '/integrations/webhooks',
      handler: (request) => {
        const { url, events } = simulator.validateSubscription('converc', bodyField(request, 'url'), bodyField(request, 'events'), false);
        const hook = simulator.store.addSubscription('converc', url, events);
        return { status: 201, body: { webhook: view(hook), secret: hook.secret } };
      },
    },
    {
      method: 'GET',
      pattern: '/integrations/webhooks',
      handler: () => ({ status: 200, body: { webhooks: simulator.store.subscriptionsOf('converc').map(view) } }),
    },
    {
      method: 'DELETE',
      pattern: '/integrations/webhooks/:id',
      handler: ({ params }) => {
        const hook = simulator.store.find('converc', params.id ?? '');
        if (!hook) return notFound(params.id);
        hook.active = false;
        hook.updatedAt = new Date().toISOString();
        return { status: 200, body: { ok: true, webhookId: hook.id, isActive: false } };
      },
    },
    {
      method: 'POST',
      pattern: '/integrations/webhooks/test',
      handler: async (request) => {
        const id = bodyField(request, 'webhookId');
        if (typeof id !== 'string') return error(400, '"webhookId" is required.');
        const hook = simulator.store.find('converc', id);
        return hook ? { status: 200, body: await sendTest(simulator, hook) } : notFound(id);
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/events',
      handler: ({ query }) => {
        const eventType = query.get('eventType');
        if (eventType === null || !Object.hasOwn(VENDORS.converc.events, eventType)) {
          return error(400, `"eventType" must be one of ${Object.keys(VENDORS.converc.events).join(', ')}.`);
        }
        const display = Number(query.get('display') ?? '10');
        if (!Number.isInteger(display) || display < 1 || display > 100) return error(400, '"display" must be a whole number from 1 to 100.');
        // The doc's own answer holds another type, so a strict simulator does not filter by it.
        const recent = simulator.store.fired.filter((fired) => fired.vendor === 'converc' && (simulator.strict || fired.event === eventType));
        const newest = recent.slice(-display).reverse().map((fired) => JSON.parse(fired.body) as unknown);
        return { status: 200, body: (simulator.strict ? [...newest, CONVERC_DOC_EVENT] : newest).slice(0, display) };
      },
    },
  ];
}

/** Convo: `/api/v1/webhooks` (create, list, delete, test); no update; the secret only in create's answer. */
function convoRoutes(simulator: Simulator): Route[] {
  const view = (hook: Subscription) => ({ id: hook.id, url: hook.url, events: simulator.eventList(hook), createdAt: hook.createdAt });
  const notFound = (id: unknown) => error(404, `Webhook ${String(id)} not found.`);
  return [
    {
      method: 'POST',
      pattern: '/api/v1/webhooks',
      handler: (request) => {
        const { url, events } = simulator.validateSubscription('convo', bodyField(request, 'url'), bodyField(request, 'events'), true);
        const hook = simulator.store.addSubscription('convo', url, events);
        return { status: 201, body: { data: { ...view(hook), secret: hook.secret } } };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/webhooks',
      handler: () => ({ status: 200, body: { data: simulator.store.subscriptionsOf('convo').map(view) } }),
    },
    {
      method: 'DELETE',
      pattern: '/api/v1/webhooks/:id',
      handler: ({ params }) => {
        const hook = simulator.store.find('convo', params.id ?? '');
        if (!hook) return notFound(params.id);
        simulator.store.subscriptions.delete(hook.id);
        return { status: 200, body: { data: { id: hook.id, deleted: true } } };
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/webhooks/:id/test',
      handler: async ({ params }) => {
        const hook = simulator.store.find('convo', params.id ?? '');
        return hook ? { status: 200, body: { data: await sendTest(simulator, hook) } } : notFound(params.id);
      },
    },
  ];
}

/** Each API vendor's routes, under `/<vendor>` so one simulator plays them all. */
export function vendorApiRoutes(simulator: Simulator): Route[] {
  const byVendor: [VendorId, Route[]][] = [
    ['converc', convercRoutes(simulator)],
    ['convo', convoRoutes(simulator)],
  ];
  return byVendor.flatMap(([vendor, routes]) =>
    routes.map((route) => ({ ...route, pattern: `/${vendor}${route.pattern}`, handler: guarded(simulator, vendor, route.handler) })),
  );
}

