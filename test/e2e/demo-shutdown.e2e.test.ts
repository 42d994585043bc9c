/**
 * `npm start` stopped the way a terminal stops it: Ctrl-C sends SIGINT to the whole foreground
 * process group (npm, tsx, the demo) at once. Afterwards nothing of the demo may be left, its
 * ports must be free, and the next `npm start` must work.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from '../../harness/paths';

jest.setTimeout(600_000);

const DEMO_PORTS = [5678, 4780];
const DEMO_FOLDER = join(STATE_DIR, 'demo');

interface Run {
  readonly output: () => string;
  /** How npm ended: its exit code, or the signal it passed on (npm ends by the signal its script got). */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  readonly pgid: number;
}

/** `npm start` as a terminal runs a job: the leader of a process group of its own. */
function npmStart(): Run {
  const child = spawn('npm', ['start'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: undefined } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { output: () => output, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))), pgid: child.pid! };
}

async function until(what: string, run: Run, done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; output so far:\n${run.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Processes of the demo: its group, anything running `harness/demo.ts`, and n8n on the demo's data. */
function demoProcesses(pgid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const group = Number(stat.split(') ')[1]?.split(' ')[2]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (group === pgid || command.includes('harness/demo.ts') || environment.includes(`N8N_USER_FOLDER=${DEMO_FOLDER}`)) found.push(`${pid} ${command.trim()}`);
    } catch {
      // Gone while being read: not left over.
    }
  }
  return found;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function startThenCtrlC(): Promise<void> {
  const run = npmStart();
  await until('the demo to be ready', run, () => run.output().includes('Press Ctrl-C to stop everything'), 420_000);
  process.kill(-run.pgid, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([run.exited, new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 90_000)))]);
  clearTimeout(timer);
  expect([[0, 'SIGINT'].includes(ended ?? ''), run.output()]).toEqual([true, expect.stringContaining('Stopping n8n and the simulator…\nStopped.')]);
  expect(demoProcesses(run.pgid)).toEqual([]);
  expect(await Promise.all(DEMO_PORTS.map(answers))).toEqual([false, false]);
}

describe('npm start and Ctrl-C', () => {
  beforeAll(async () => {
    const busy = await Promise.all(DEMO_PORTS.map(answers));
    if (busy.some(Boolean)) throw new Error(`The demo's ports ${DEMO_PORTS.join(', ')} are in use: stop the running demo first.`);
  });

  it('stops everything on a SIGINT to the whole group, and starts again right after', async () => {
    await startThenCtrlC();
    await startThenCtrlC();
  });
});
