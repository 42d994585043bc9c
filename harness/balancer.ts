import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { forward, readAll } from './forward';

/**
 * How requests are spread over webhook processors: in turn, or every request for one path to
 * the same processor (nginx's `hash $request_uri consistent`), so one trigger's deliveries meet
 * in one process.
 */
export type Routing = 'round-robin' | 'by-path';

export interface Routed {
  readonly path: string;
  /** Index of the processor that answered. */
  readonly processor: number;
  readonly status: number;
}

/** The load balancer in front of n8n's webhook processors, on loopback. */
export async function startBalancer(processors: readonly string[], port: number) {
  let routing: Routing = 'round-robin';
  let turn = 0;
  const routed: Routed[] = [];
  const pick = (path: string) => {
    if (routing === 'by-path') return createHash('sha256').update(path).digest().readUInt32BE(0) % processors.length;
    turn = (turn + 1) % processors.length;
    return turn;
  };
  const server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '/';
      const processor = pick(path);
      const answer = await forward(request, await readAll(request), `${processors[processor]}${path}`);
      routed.push({ path, processor, status: answer.status });
      response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.text);
    })().catch(() => response.writeHead(502).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every request answered so far, in order. */
    routed,
    route(next: Routing) {
      routing = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Balancer = Awaited<ReturnType<typeof startBalancer>>;
