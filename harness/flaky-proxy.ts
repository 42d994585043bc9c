import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyOptions {
  /** Where every request is forwarded. */
  readonly target: string;
  /** Chance that an attempt is answered 503 without reaching the target. */
  readonly refuse: number;
  /** Chance that an attempt reaches the target but its answer is replaced by a 504 (the sender will retry). */
  readonly loseAnswer: number;
  /** Chance that the answer is held back `holdMs`, past the sender's timeout. */
  readonly hold: number;
  readonly holdMs: number;
  /** Only the first this-many attempts of one body are ever disturbed, so no delivery fails for good. */
  readonly disturbedAttempts: number;
  readonly seed: number;
}

export interface FlakyStats {
  refused: number;
  answersLost: number;
  held: number;
  forwarded: number;
  duplicatesAnswered: number;
}

/** A small deterministic PRNG (mulberry32): the same seed disturbs the same attempts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The network between a vendor and n8n, with failures a vendor's retry policy must ride out:
 * refused attempts, answers lost after n8n acted, answers that come too late. Loopback only.
 */
export async function startFlakyProxy(options: FlakyOptions) {
  const next = random(options.seed);
  const attemptsByBody = new Map<string, number>();
  const stats: FlakyStats = { refused: 0, answersLost: 0, held: 0, forwarded: 0, duplicatesAnswered: 0 };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const digest = createHash('sha256').update(body).digest('hex');
      const attempt = (attemptsByBody.get(digest) ?? 0) + 1;
      attemptsByBody.set(digest, attempt);
      const roll = attempt <= options.disturbedAttempts ? next() : 1;
      if (roll < options.refuse) {
        stats.refused += 1;
        response.writeHead(503).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      const answer = await fetch(options.target, { method: request.method, headers, body });
      const text = await answer.text();
      stats.forwarded += 1;
      if (text.includes('"duplicate":true')) stats.duplicatesAnswered += 1;
      if (roll < options.refuse + options.loseAnswer) {
        stats.answersLost += 1;
        response.writeHead(504).end();
        return;
      }
      if (roll < options.refuse + options.loseAnswer + options.hold) {
        stats.held += 1;
        await new Promise((resolve) => setTimeout(resolve, options.holdMs));
      }
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
