/**
 * How the trigger's vendor calls behave on a failing vendor, through n8n's own HTTP client:
 * a create answered 5xx may still have subscribed, so it is sent once; a list or a delete is
 * safe to repeat, so it is retried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callVendor } from '../../../nodes/trigger/vendor-client';
import { VENDORS, type VendorDefinition } from '../../../shared';
import { hookContext } from '../../support/n8n-context';

const vendor = VENDORS.convo as VendorDefinition;
const api = VENDORS.convo.registration.api;
const received: { method: string; url: string; authorization: string | undefined }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // Always unavailable, and asking to be retried at once so the retries cost no waiting.
  server = createServer((request, response) => {
    received.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    request.resume();
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"error":"maintenance"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/convo/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

const context = () =>
  hookContext({ nodeType: 'convo', parameters: { events: ['*'], options: {} }, credentials: { convoApi: { apiKey: 'key-1', baseUrl } } }).context;

describe('callVendor against a vendor answering 503', () => {
  it('sends a create exactly once', async () => {
    await expect(callVendor(context(), vendor, api.create('https://n8n.example/webhook/x', 'all'))).rejects.toMatchObject({ message: 'Convo is unavailable (503)' });
    expect(received).toEqual([{ method: 'POST', url: '/convo/api/v1/webhooks', authorization: 'Bearer key-1' }]);
  });

  it.each([
    ['a list', api.list, 'GET', '/convo/api/v1/webhooks'],
    ['a delete', api.remove('hook-1'), 'DELETE', '/convo/api/v1/webhooks/hook-1'],
  ] as const)('retries %s, then gives up with the vendor’s answer', async (_name, request, method, path) => {
    await expect(callVendor(context(), vendor, request)).rejects.toMatchObject({ message: 'Convo is unavailable (503)', httpCode: '503' });
    expect(received).toEqual(Array.from({ length: 3 }, () => ({ method, url: path, authorization: 'Bearer key-1' })));
  });
});
