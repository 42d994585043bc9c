import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBalancer, type Balancer } from '../../harness/balancer';
import { harnessPort } from '../../harness/ports';
import { post } from '../../harness/traffic';

type Outcome = number | 'exit';

/** A stand-in for a webhook processor: records each body it reads, then answers with `outcome`, or closes unanswered. */
async function processor(initially: Outcome) {
  const bodies: string[] = [];
  let outcome = initially;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      // As n8n does when its process exits with the request still open: the connection closes unanswered.
      if (outcome === 'exit') request.socket.destroy();
      else response.writeHead(outcome).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    /** From now on, as a restarted processor does. */
    become: (next: Outcome) => (outcome = next),
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

type Processor = Awaited<ReturnType<typeof processor>>;

let processors: Processor[] = [];
let balancer: Balancer | undefined;

afterEach(async () => {
  await balancer?.close();
  balancer = undefined;
  await Promise.all(processors.splice(0).map((each) => each.close()));
});

async function balance(...chosen: Processor[]): Promise<Balancer> {
  processors = chosen;
  balancer = await startBalancer(chosen.map((each) => each.url), harnessPort(5800), join(tmpdir(), 'convhooks-balancer-test'));
  return balancer;
}

const deliver = (url: string, body: string) => post(`${url}/webhook/converc`, body, { connection: 'close' });

describe('the balancer in front of the webhook processors, configured as docs/operations.md gives it', () => {
  it('sends a delivery whose processor closed the connection unanswered to the other processor, once', async () => {
    const exiting = await processor('exit');
    const serving = await processor(200);
    const { url, routed } = await balance(exiting, serving);

    const answer = await deliver(url, 'event-1');

    expect(answer.status).toBe(200);
    expect(exiting.bodies).toEqual(['event-1']);
    expect(serving.bodies).toEqual(['event-1']);
    expect(routed().at(-1)).toEqual({ path: '/webhook/converc', processor: 1 });
  });

  it('sends a delivery to a processor that is back at once, though every processor failed the one before', async () => {
    const first = await processor('exit');
    const second = await processor('exit');
    const { url } = await balance(first, second);
    const failed = await deliver(url, 'event-1');

    second.become(200);
    const answer = await deliver(url, 'event-2');

    expect(failed.status).toBe(502);
    expect(answer.status).toBe(200);
    expect(second.bodies).toEqual(['event-1', 'event-2']);
  });

  it('passes on an answer a processor gave, even an error, without resending the delivery', async () => {
    const failing = await processor(500);
    const serving = await processor(200);
    const { url } = await balance(failing, serving);

    const answers = [await deliver(url, 'event-1'), await deliver(url, 'event-2')];

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 500]);
    expect([...failing.bodies, ...serving.bodies].sort()).toEqual(['event-1', 'event-2']);
  });
});
