import type { IncomingMessage } from 'node:http';

export async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a received request on to `target` unchanged, bytes and headers alike, and returns the answer. */
export async function forward(request: IncomingMessage, body: Buffer, target: string) {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
  const answer = await fetch(target, { method: request.method, headers, body: body.length > 0 ? body : undefined });
  return { status: answer.status, contentType: answer.headers.get('content-type') ?? 'application/json', text: await answer.text() };
}
