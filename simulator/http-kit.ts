import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request as the simulator's handlers see it: path parameters, query and parsed JSON body. */
export interface Incoming {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export type Handler = (request: Incoming) => Reply | Promise<Reply>;

export interface Route {
  readonly method: string;
  /** `/integrations/webhooks/:id` style. */
  readonly pattern: string;
  readonly handler: Handler;
}

export const error = (status: number, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { error: message },
  headers,
});

export class BadRequest extends Error {}

const MAX_REQUEST_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new BadRequest('Request body too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('Request body is not valid JSON.');
  }
}

export function matchRoute(routes: readonly Route[], method: string, path: string) {
  const segments = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const parts = route.pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segment);
      return part.startsWith(':') || part === segment;
    });
    if (!fits) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method_not_allowed' : undefined;
}

export function send(response: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(payload === '' ? {} : { 'content-type': 'application/json' }),
    ...reply.headers,
  });
  response.end(payload);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
