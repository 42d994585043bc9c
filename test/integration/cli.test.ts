import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { receive, sign, VENDOR_IDS, VENDORS } from '../../shared';
import { DEFAULT_SIMULATOR_PORT, startSimulator, type RunningSimulator } from '../../simulator';
import { call } from '../support/http';
import { startReceiver, type Receiver } from '../support/receiver';

// This checkout's CLI, not whichever one node_modules/.bin links to (a worktree shares another's node_modules).
const BIN = join(__dirname, '..', '..', 'cli', 'bin', 'convhooks.js');

function run(args: string[], input?: string) {
  const result = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI without blocking the event loop, for commands that talk to a server in this process. */
function runAsync(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(BIN, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A loopback URL where nothing listens: a port the system just gave out and took back. */
async function nothingListening(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('convhooks CLI', () => {
  it('lists its commands and explains each one, with --help and with help <command>', () => {
    const top = run(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['events', 'sample', 'sign', 'verify', 'parse', 'send', 'simulate', 'trigger', 'deliveries', 'replay']) {
      expect(top.stdout).toContain(`  ${command}`);
      const help = run([command, '--help']);
      expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining(`Usage: convhooks ${command}`) });
      expect(help.stdout).toMatch(/^Exit 0/m);
      expect(run(['help', command])).toEqual(help);
    }
    expect(run(['help'])).toEqual(top);
  });

  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cli', 'package.json'), 'utf8'));
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: `convhooks version ${version}\n` });
    expect(run(['-v']).stdout).toBe(`convhooks version ${version}\n`);
  });

  it('puts usage errors on stderr with exit 64, stdout left empty', () => {
    expect(run([])).toMatchObject({ code: 64, stdout: '', stderr: expect.stringContaining('Usage: convhooks <command>') });
    expect(run(['help', 'frobnicate'])).toMatchObject({ code: 64, stdout: '', stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(run(['trigger'])).toMatchObject({ code: 64, stdout: '', stderr: expect.stringContaining(`Name a vendor: ${VENDOR_IDS.join(', ')}.`) });
    expect(run(['trigger', 'converc', 'call.started'])).toMatchObject({ code: 64, stdout: '', stderr: expect.stringContaining('Unknown Converc event "call.started"') });
    expect(run(['trigger', 'converc', 'call.ended', '--simulator', 'nowhere'])).toMatchObject({ code: 64, stderr: expect.stringContaining('--simulator is not a URL: nowhere') });
    expect(run(['deliveries', '--limit', 'some'])).toMatchObject({ code: 64, stderr: expect.stringContaining('--limit must be a whole number, not "some".') });
    expect(run(['replay'])).toMatchObject({ code: 64, stderr: expect.stringContaining('Name the delivery to replay') });
    expect(run(['send', 'convo', 'transcript.ready', '--url', 'http://127.0.0.1:1/', '--secret', 's', '--header', 'no-colon'])).toMatchObject({
      code: 64,
      stderr: expect.stringContaining('--header must look like "Name: value", not "no-colon".'),
    });
  });

  it('rejects unknown commands, vendors, events and flags with exit 64 and a reason', () => {
    expect(run(['frobnicate'])).toMatchObject({ code: 64, stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(run(['sample', 'zoom', 'x'])).toMatchObject({ code: 64, stderr: expect.stringContaining(`Unknown vendor "zoom". Vendors: ${VENDOR_IDS.join(', ')}.`) });
    expect(run(['sample', 'convo', 'call.ended'])).toMatchObject({ code: 64, stderr: expect.stringContaining('Unknown Convo event "call.ended". Events: conversation.created,') });
    expect(run(['events', '--colour'])).toMatchObject({ code: 64, stderr: expect.stringContaining("Unknown option '--colour'") });
    expect(run(['sign', 'konver'], '{}')).toMatchObject({ code: 64, stderr: expect.stringContaining('--secret is required.') });
    expect(run(['parse', 'konver', '--file', '/nonexistent.json'])).toMatchObject({ code: 64, stderr: expect.stringContaining('ENOENT') });
  });

  it('prints the catalog as a table and as JSON', () => {
    const json = run(['events', '--json']);
    expect(JSON.parse(json.stdout)).toHaveLength(Object.values(VENDORS).reduce((count, vendor) => count + Object.keys(vendor.events).length, 0));
    const table = run(['events', '--vendor', 'Konvox']);
    expect(table.stdout.trim().split('\n')).toHaveLength(7);
    expect(table.stdout).toMatch(/konvox\s+enrollment\.unsubscribed\s+Enrollment\s+A contact opted out/);
  });

  it('prints a sample payload', () => {
    const printed = run(['sample', 'konver', 'person.created']);
    expect(JSON.parse(printed.stdout)).toEqual(VENDORS.konver.events['person.created'].sample);
  });

  it('signs standard input and a file, as the core does', () => {
    expect(run(['sign', 'konver', '--secret', "It's a Secret to Everybody"], 'Hello, World!').stdout.trim()).toBe(
      '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
    const file = join(__dirname, '..', '..', 'package.json');
    const expected = sign(VENDORS.kolvera.signature, readFileSync(file), 'k');
    expect(run(['sign', 'kolvera', '--secret', 'k', '--file', file]).stdout.trim()).toBe(expected);
  });

  it('verifies, exiting 1 with the failure code when the signature does not fit', () => {
    const body = '{"event":"webhook.test"}';
    const good = sign(VENDORS.convo.signature, Buffer.from(body), 's');
    expect(run(['verify', 'convo', '--secret', 's', '--signature', good], body)).toMatchObject({ code: 0, stdout: 'valid\n' });
    expect(run(['verify', 'convo', '--secret', 'old', '--secret', 's', '--signature', `sha256=${good.toUpperCase()}`], body)).toMatchObject({ code: 0 });
    expect(run(['verify', 'convo', '--secret', 'x', '--signature', good], body)).toMatchObject({ code: 1, stdout: 'signature_mismatch\n' });
    expect(run(['verify', 'convo', '--secret', 's', '--signature', `${good},${good}`], body)).toMatchObject({ code: 1, stdout: 'malformed_signature\n' });
    expect(run(['verify', 'convo', '--secret', 's'], body)).toMatchObject({ code: 1, stdout: 'missing_signature\n' });
    expect(run(['verify', 'convo', '--signature', good], body)).toMatchObject({ code: 1, stdout: 'no_secret\n' });
  });

  it('parses a body into the typed event, and exits 2 on a body that is not a JSON object', () => {
    const sample = JSON.stringify(VENDORS.konvox.events['enrollment.unsubscribed'].sample);
    const parsed = run(['parse', 'konvox'], sample);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout)).toMatchObject({ type: 'enrollment.unsubscribed', valid: true, dedupeKey: expect.stringMatching(/^konvox:sha256:/), issues: [], payload: { data: { reason: 'opt_out_keyword' } } });
    const drifted = run(['parse', 'konvox'], '{"event":"enrollment.unsubscribed","data":{}}');
    expect(JSON.parse(drifted.stdout)).toMatchObject({ type: 'enrollment.unsubscribed', valid: false });
    expect(JSON.parse(drifted.stdout).issues.map((issue: { path: string }) => issue.path)).toContain('data.reason');
    expect(run(['parse', 'konvox'], '[1,2]')).toMatchObject({ code: 2, stdout: expect.stringContaining('"not_an_object"') });
    expect(run(['parse', 'konvox'], '{oops')).toMatchObject({ code: 2, stdout: expect.stringContaining('"invalid_json"') });
    const headerTyped = run(['parse', 'convo', '--event-header', 'transcript.ready'], '{"data":{"conversationId":"c","segmentCount":1}}');
    expect(JSON.parse(headerTyped.stdout).type).toBe('transcript.ready');
  });

  describe('send', () => {
    let url: string;
    let close: () => void;
    const received: string[] = [];

    beforeAll(async () => {
      // A receiver that does what our triggers do: verify, then accept or refuse.
      // Under /x-sig it plays a Konvox trigger whose Signature Header option says X-Sig.
      const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const custom = request.url === '/x-sig';
          const vendor = custom ? VENDORS.konvox : VENDORS.convo;
          const receipt = receive(vendor, Buffer.concat(chunks), request.headers, { secrets: ['whsec'], signatureHeader: custom ? 'X-Sig' : undefined });
          if (receipt.ok) received.push(receipt.event.type);
          response.writeHead(receipt.ok ? 200 : receipt.status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(receipt.ok ? { accepted: receipt.event.type } : { rejected: receipt.reason }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
      close = () => server.close();
    });
    afterAll(() => close());

    it('delivers a signed event the receiver accepts', async () => {
      const sent = await runAsync(['send', 'convo', 'transcript.ready', '--url', url, '--secret', 'whsec']);
      expect(sent).toMatchObject({ code: 0, stdout: '200 OK\n{"accepted":"transcript.ready"}\n' });
      expect(received).toEqual(['transcript.ready']);
    });

    it('delivers a tampered event the receiver refuses', async () => {
      const sent = await runAsync(['send', 'convo', 'transcript.ready', '--url', url, '--secret', 'whsec', '--tamper']);
      expect(sent).toMatchObject({ code: 1, stdout: '401 Unauthorized\n{"rejected":"signature_mismatch"}\n' });
    });

    it('adds, replaces and drops headers, so a Signature Header option can be tried', async () => {
      const body = JSON.stringify(VENDORS.konvox.events['contact.replied'].sample);
      const file = join(tmpdir(), `convhooks-send-${process.pid}.json`);
      writeFileSync(file, body);
      const signature = sign(VENDORS.konvox.signature, Buffer.from(body), 'whsec');
      const target = url.replace('/webhook', '/x-sig');
      const moved = await runAsync(['send', 'konvox', 'contact.replied', '--url', target, '--secret', 'whsec', '--file', file, '--header', `X-Sig: ${signature}`, '--header', 'X-Konvox-Signature:']);
      expect(moved).toMatchObject({ code: 0, stdout: '200 OK\n{"accepted":"contact.replied"}\n' });
      const unsigned = await runAsync(['send', 'konvox', 'contact.replied', '--url', target, '--secret', 'whsec', '--file', file]);
      expect(unsigned).toMatchObject({ code: 1, stdout: '401 Unauthorized\n{"rejected":"missing_signature"}\n' });
      const replaced = await runAsync(['send', 'convo', 'transcript.ready', '--url', url, '--secret', 'whsec', '--header', 'x-convo-signature: sha256=00']);
      expect(replaced).toMatchObject({ code: 1, stdout: expect.stringContaining('"rejected":"malformed_signature"') });
    });

    it('shows what it sent and how long the answer took with --verbose, and all of it as JSON with --json', async () => {
      const verbose = await runAsync(['send', 'convo', 'transcript.ready', '--url', url, '--secret', 'whsec', '--header', 'X-Trace: 1', '--verbose']);
      expect(verbose.code).toBe(0);
      const lines = verbose.stdout.split('\n');
      expect(lines[0]).toBe(`> POST ${url}`);
      expect(lines).toEqual(expect.arrayContaining(['> content-type: application/json', '> x-convo-event: transcript.ready', '> x-trace: 1', '>']));
      expect(lines).toContainEqual(expect.stringMatching(/^> x-convo-signature: [0-9a-f]{64}$/));
      expect(lines).toContainEqual(expect.stringMatching(/^> \{"event":"transcript\.ready"/));
      expect(lines).toContainEqual(expect.stringMatching(/^< 200 OK \(\d+ ms\)$/));
      expect(lines).toContain('< {"accepted":"transcript.ready"}');

      const json = await runAsync(['send', 'convo', 'transcript.ready', '--url', url, '--secret', 'whsec', '--tamper', '--json']);
      expect(json.code).toBe(1);
      const printed = JSON.parse(json.stdout);
      expect(printed).toMatchObject({
        request: { method: 'POST', url, headers: { 'x-convo-event': 'transcript.ready', 'x-convo-signature': expect.stringMatching(/^[0-9a-f]{64}$/) } },
        response: { status: 401, statusText: 'Unauthorized', body: '{"rejected":"signature_mismatch"}' },
        durationMs: expect.any(Number),
      });
      expect(JSON.parse(printed.request.body)).toMatchObject({ tampered: true, event: 'transcript.ready' });
    });

    it('says so when nothing answers', async () => {
      const target = `${await nothingListening()}/none`;
      const sent = await runAsync(['send', 'convo', 'transcript.ready', '--url', target, '--secret', 'whsec']);
      expect(sent).toMatchObject({ code: 1, stderr: expect.stringContaining(`Could not deliver to ${target}: connect ECONNREFUSED`) });
    });
  });

  describe('against a running simulator', () => {
    let sim: RunningSimulator;
    let receiver: Receiver;
    // The CLI's default simulator is port 4780 moved by CONVHOOKS_PORT_OFFSET: this offset makes it this test's simulator.
    const atDefault = () => ({ CONVHOOKS_PORT_OFFSET: String(Number(new URL(sim.url).port) - DEFAULT_SIMULATOR_PORT) });
    const subscribe = (vendor: string, events?: string[]) =>
      call('POST', `${sim.url}/_control/webhooks`, { vendor, url: receiver.url, secret: 'whsec', events }).then((answer) => answer.body as { id: string });
    const log = () => call('GET', `${sim.url}/_control/deliveries`).then((answer) => answer.body as { deliveryId: string; event: string; requestBody: string }[]);

    beforeAll(async () => {
      // Konvox's 30 s first retry becomes 30 ms, so a test's retries end before the next test.
      sim = await startSimulator({ timeScale: 0.001 });
    });
    afterAll(() => sim.close());
    beforeEach(async () => {
      await call('POST', `${sim.url}/_control/reset`);
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await sim.simulator.deliverer.settle();
      await receiver.close();
    });

    it('trigger fires to every subscribed webhook, at the default simulator, and prints each answer', async () => {
      await subscribe('converc', ['call.ended']);
      await subscribe('converc', ['call.ended', 'call.recording_ready']);
      await subscribe('converc', ['call.recording_ready']);
      const fired = await runAsync(['trigger', 'converc', 'call.ended'], atDefault());
      expect(fired).toMatchObject({ code: 0, stderr: '' });
      const lines = fired.stdout.trim().split('\n');
      expect(lines[0]).toBe(`Firing converc call.ended through the simulator at ${sim.url}`);
      expect(lines.slice(1, 3)).toEqual([
        expect.stringMatching(/ {2}converc call\.ended → http:\/\/127\.0\.0\.1:\d+\/hook {2}attempt 1: 200 \(delivered, \d+ ms\) \[[0-9a-f-]{36}\]$/),
        expect.stringMatching(/attempt 1: 200 \(delivered/),
      ]);
      expect(lines[3]).toBe('Trigger succeeded: 2 deliveries, every one answered 2xx.');
      expect(receiver.received.map((request) => JSON.parse(request.body.toString()).type)).toEqual(['call.ended', 'call.ended']);
    });

    it('trigger exits 1 when an answer is not 2xx, when nothing is subscribed, and when no simulator answers', async () => {
      receiver.answer({ status: 500 });
      const { id } = await subscribe('konvox');
      const refused = await runAsync(['trigger', 'konvox', 'contact.replied', '--simulator', sim.url, '--json']);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Trigger failed: 1 of 1 delivery not answered 2xx') });
      expect(JSON.parse(refused.stdout)).toEqual([
        expect.objectContaining({ webhookId: id, event: 'contact.replied', answer: expect.objectContaining({ attempt: 1, status: 500, outcome: 'retrying' }) }),
      ]);
      const none = await runAsync(['trigger', 'kolvera', 'meeting.booked', '--simulator', sim.url]);
      expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining(`No Kolvera webhook subscribed to meeting.booked at ${sim.url}`) });
      const nowhere = await nothingListening();
      const elsewhere = await runAsync(['trigger', 'konvox', 'contact.replied', '--simulator', nowhere]);
      expect(elsewhere).toMatchObject({ code: 1, stderr: expect.stringContaining(`No simulator answers at ${nowhere} (connect ECONNREFUSED`) });
    });

    it('deliveries prints the log: one line per attempt, the request and answer with --verbose, JSON lines with --json', async () => {
      await subscribe('konver');
      await call('POST', `${sim.url}/_control/fire`, { vendor: 'konver', events: [{ event: 'person.created' }, { event: 'company.created' }], wait: true });
      const [created, company] = await log();
      const listed = await runAsync(['deliveries', '--simulator', sim.url]);
      expect(listed.code).toBe(0);
      expect(listed.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`konver person\\.created → ${receiver.url}  attempt 1: 200 \\(delivered, \\d+ ms\\) \\[${created!.deliveryId}\\]$`)),
        expect.stringMatching(new RegExp(`konver company\\.created → .*\\[${company!.deliveryId}\\]$`)),
      ]);
      const newest = await runAsync(['deliveries', '--limit', '1', '--verbose'], atDefault());
      const lines = newest.stdout.trim().split('\n');
      expect(lines[0]).toContain(`[${company!.deliveryId}]`);
      expect(lines.slice(1)).toEqual(expect.arrayContaining([`    > POST ${receiver.url}`, `    > ${company!.requestBody}`, '    < {"received":true,"status":200}']));
      expect(lines).toContainEqual(expect.stringMatching(/^ {4}> x-konver-signature: [0-9a-f]{64}$/i));
      expect(lines).toContainEqual(expect.stringMatching(/^ {4}< 200 \(\d+ ms\)$/));
      const json = await runAsync(['deliveries', '--json', '--vendor', 'konver', '--simulator', sim.url]);
      expect(json.stdout.trim().split('\n').map((line) => JSON.parse(line).deliveryId)).toEqual([created!.deliveryId, company!.deliveryId]);
      expect((await runAsync(['deliveries', '--vendor', 'konvox', '--simulator', sim.url])).stdout).toBe('');
    });

    it('deliveries --follow prints attempts as they happen and stops cleanly on Ctrl-C', async () => {
      await subscribe('kolvera');
      const child = spawn(BIN, ['deliveries', '--follow', '--simulator', sim.url]);
      let stdout = '';
      const lineFor = (event: string) =>
        new Promise<string>((resolve) => {
          const check = () => {
            const line = stdout.split('\n').find((candidate) => candidate.includes(`kolvera ${event} → `));
            if (line) {
              child.stdout.off('data', check);
              resolve(line);
            }
          };
          child.stdout.on('data', check);
          check();
        });
      child.stdout.on('data', (chunk) => (stdout += chunk));
      // Whether the follower reads it in its first look at the log or in a later poll, the line comes.
      await call('POST', `${sim.url}/_control/fire`, { vendor: 'kolvera', event: 'meeting.booked', wait: true });
      expect(await lineFor('meeting.booked')).toMatch(/attempt 1: 200 \(delivered/);
      await call('POST', `${sim.url}/_control/fire`, { vendor: 'kolvera', event: 'contact.created', wait: true });
      expect(await lineFor('contact.created')).toMatch(/attempt 1: 200 \(delivered/);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout.match(/meeting\.booked/g)).toHaveLength(1);
    });

    it('replay sends a logged delivery again and prints the answer; an unknown one exits 1', async () => {
      await subscribe('konvox');
      await call('POST', `${sim.url}/_control/fire`, { vendor: 'konvox', event: 'enrollment.created', wait: true });
      const [original] = await log();
      const replayed = await runAsync(['replay', original!.deliveryId], atDefault());
      expect(replayed).toMatchObject({ code: 0, stderr: '' });
      expect(replayed.stdout).toMatch(/konvox enrollment\.created → .* attempt 1: 200 \(delivered, \d+ ms\) \[[0-9a-f-]{36}\]\nReplay succeeded: 1 delivery, every one answered 2xx\.\n$/);
      expect(replayed.stdout).not.toContain(original!.deliveryId);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.body.equals(receiver.received[0]!.body)).toBe(true);
      const unknown = await runAsync(['replay', 'no-such-delivery', '--simulator', sim.url]);
      expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('answered 404: Delivery no-such-delivery not found, or its webhook is gone.') });
    });

    it('simulate listens on 4780 moved by CONVHOOKS_PORT_OFFSET by default, and says so when that port is taken', async () => {
      const taken = await runAsync(['simulate'], atDefault());
      expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining(`Port ${new URL(sim.url).port} is taken`) });
    });
  });

  it('runs the simulator in the foreground, prints each delivery, and stops on Ctrl-C', async () => {
    const receiver = await startReceiver();
    const child = spawn(BIN, ['simulate', '--port', '0']);
    let stdout = '';
    const seen = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) resolve(match);
          else child.stdout.once('data', check);
        };
        check();
      });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const [, base] = await seen(/ConvHooks simulator on (http:\/\/127\.0\.0\.1:\d+)/);
    await seen(/Press Ctrl-C to stop/);
    await call('POST', `${base}/_control/webhooks`, { vendor: 'konvox', url: receiver.url, secret: 's' });
    await call('POST', `${base}/_control/fire`, { vendor: 'konvox', event: 'contact.replied', wait: true });
    await seen(/konvox contact\.replied → http:\/\/127\.0\.0\.1:\d+\/hook {2}attempt 1: 200 \(delivered/);
    expect(receiver.received).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Simulator stopped.');
    await receiver.close();
  });
});
