/**
 * Stopped the way a terminal stops a job: Ctrl-C sends SIGINT to the whole foreground process
 * group at once (npm, tsx, the harness). Afterwards no process the job started may be left, its
 * ports must be free, and the same command must work again right after.
 */
import { spawn } from 'node:child_process';
import { ROOT } from '../../harness/paths';
import { harnessPort } from '../../harness/ports';
import { alive, describeProcess, descendantsOf, portAnswers } from '../../harness/processes';

jest.setTimeout(900_000);

interface Job {
  readonly output: () => string;
  /** How the job's leader ended: its exit code, or the signal it passed on (npm ends by the signal its script got). */
  readonly ended: Promise<number | NodeJS.Signals | null>;
  readonly pid: number;
}

/** A command run as a terminal runs a job: the leader of a process group of its own. */
function job(command: string, args: string[]): Job {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: undefined } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { output: () => output, ended: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))), pid: child.pid! };
}

async function outputUntil(job: Job, line: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!job.output().includes(line)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for "${line}"; output so far:\n${job.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs the job until `ready`, presses Ctrl-C, and checks that nothing it started is left. */
async function startThenCtrlC(command: string, args: string[], ready: string, ports: number[]): Promise<Job> {
  expect(await Promise.all(ports.map(portAnswers))).toEqual(ports.map(() => false));
  const running = job(command, args);
  await outputUntil(running, ready, 420_000);
  const started = descendantsOf(running.pid);
  expect(started.length).toBeGreaterThan(2);
  process.kill(-running.pid, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([running.ended, new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 90_000)))]);
  clearTimeout(timer);
  expect([0, 130, 'SIGINT'].includes(ended ?? '')).toBe(true);
  // A killed server is gone a moment after the job's leader, not before it: allow that moment, no more.
  const left = async () => {
    const answering = await Promise.all(ports.map(portAnswers));
    return { processes: started.filter(alive).map(describeProcess), ports: ports.filter((_, index) => answering[index]) };
  };
  const deadline = Date.now() + 10_000;
  let state = await left();
  while ((state.processes.length > 0 || state.ports.length > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    state = await left();
  }
  expect(state).toEqual({ processes: [], ports: [] });
  return running;
}

describe('Ctrl-C', () => {
  it('stops npm start and everything it started, and npm start works again right after', async () => {
    for (let run = 0; run < 2; run += 1) {
      const demo = await startThenCtrlC('npm', ['start'], 'Press Ctrl-C to stop everything', [harnessPort(5678), harnessPort(4780)]);
      expect(demo.output()).toContain('Stopping n8n and the simulator…\nStopped.');
    }
  });

  it('stops a test run holding a single n8n', async () => {
    await startThenCtrlC('npx', ['tsx', 'test/support/hold-stack.ts', 'single', String(harnessPort(5760))], 'Stack ready.', [harnessPort(5760)]);
  });

  it('stops a test run holding the queue-mode stack: n8n main, processors and worker, PostgreSQL, Redis and nginx', async () => {
    // Balancer, main, two processors, worker, PostgreSQL, Redis, and each n8n process's task broker.
    const ports = Array.from({ length: 11 }, (_, offset) => harnessPort(5770) + offset);
    await startThenCtrlC('npx', ['tsx', 'test/support/hold-stack.ts', 'queue', String(harnessPort(5770))], 'Stack ready.', ports);
  });
});
