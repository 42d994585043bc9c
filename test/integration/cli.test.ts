import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { receive, sign, VENDOR_IDS, VENDORS } from '../../shared';
import { call } from '../support/http';
import { startReceiver } from '../support/receiver';

// This checkout's CLI, not whichever one node_modules/.bin links to (a worktree shares another's node_modules).
const BIN = join(__dirname, '..', '..', 'cli', 'bin', 'convhooks.js');

function run(args: string[], input?: string) {
  const result = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI without blocking the event loop, for commands that talk to a server in this process. */
function runAsync(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(BIN, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('convhooks CLI', () => {
  it('lists its commands and explains each one', () => {
    const top = run(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['events', 'sample', 'sign', 'verify', 'parse', 'send', 'simulate']) {
      expect(top.stdout).toContain(`  ${command}`);
      const help = run([command, '--help']);
      expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining(`Usage: convhooks ${command}`) });
    }
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
      const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const receipt = receive(VENDORS.convo, Buffer.concat(chunks), request.headers, { secrets: ['whsec'] });
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

    it('says so when nothing answers', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const target = `http://127.0.0.1:${port}/none`;
      const sent = await runAsync(['send', 'convo', 'transcript.ready', '--url', target, '--secret', 'whsec']);
      expect(sent).toMatchObject({ code: 1, stderr: expect.stringContaining(`Could not deliver to ${target}: connect ECONNREFUSED`) });
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
