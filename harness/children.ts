import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The servers the harness starts (n8n, PostgreSQL, Redis, nginx), owned by the process that
 * started them. A terminal's Ctrl-C sends SIGINT to its whole foreground group: npm, tsx, the
 * harness, and every child in that group at once. n8n would then shut down on its own while
 * the harness shuts it down too, and a harness that died first left n8n writing into a closed
 * pipe. So each server runs in a process group of its own, writes straight to its log file,
 * and is stopped by its owner alone: with a signal, a bounded wait, then a kill of its group.
 */

export interface OwnedChild {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Sends `signal` to the server's group, waits at most `graceMs`, then kills the group. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

const running = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Starts `command` in its own process group, its output appended to `logFile`. */
export function spawnOwned(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string }): OwnedChild {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', log, log], detached: true });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
  watchForShutdown();
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  }).finally(() => running.delete(child));
  return {
    child,
    exited,
    async stop(signal, graceMs) {
      if (!isRunning(child)) return;
      signalGroup(child, signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
      if (await Promise.race([exited.then(() => false), timedOut])) signalGroup(child, 'SIGKILL');
      clearTimeout(timer);
      await exited;
      // Whatever the server left in its group (PostgreSQL's backends, nginx's workers) goes with it.
      signalGroup(child, 'SIGKILL');
    },
  };
}

let watching = false;
/** By default a signal kills the servers at once, and the process ends as the signal would have ended it: an interrupted test run has nothing to keep. */
let onSignal = async (signal: NodeJS.Signals) => {
  killEverything();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};

/** Kills every server still running: the harness is going away, whichever way. */
function killEverything(): void {
  for (const child of running) signalGroup(child, 'SIGKILL');
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function watchForShutdown(): void {
  if (watching) return;
  watching = true;
  process.on('exit', killEverything);
  let stopping = false;
  for (const signal of SIGNALS) {
    // `on`, not `once`: a second signal (the terminal's, then npm's or tsx's relay of it) must not kill the harness halfway through stopping.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void onSignal(signal);
    });
  }
}

/**
 * What the process does on Ctrl-C, SIGTERM or SIGHUP instead of killing its servers at once:
 * the demo stops n8n and the simulator in order. The servers are killed at exit all the same.
 */
export function onShutdownSignal(stop: () => Promise<void>): void {
  onSignal = async () => {
    try {
      await stop();
    } finally {
      process.exit(0);
    }
  };
  watchForShutdown();
}
