import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly at: number;
}

/** What the receiver answers; consumed in order, then `fallback` for every later request. */
export interface Answer {
  readonly status: number;
  readonly delayMs?: number;
}

/** A webhook endpoint on loopback that keeps every request byte for byte. */
export async function startReceiver(fallback: Answer = { status: 200 }) {
  const received: Received[] = [];
  const script: Answer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks), at: performance.now() });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      const answer = script.shift() ?? fallback;
      const reply = () => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ received: true, status: answer.status }));
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Queues answers for the next requests. */
    answer: (...answers: Answer[]) => script.push(...answers),
    waitFor: (count: number) =>
      new Promise<void>((resolve) => (received.length >= count ? resolve() : waiters.push({ count, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
