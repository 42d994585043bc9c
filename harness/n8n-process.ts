import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnOwned } from './children';
import { installCommunityPackages } from './community-packages';
import { DEFAULT_RUNTIME, type Runtime } from './paths';
import { runCommand } from './run-command';
import { node24Env } from './runtime';
import { pause } from './wait';

/** n8n's process roles: `start` is the main instance; queue mode adds webhook processors and workers. */
export type N8nRole = 'start' | 'webhook' | 'worker';

export interface N8nOptions {
  readonly role?: N8nRole;
  /** The HTTP port: the editor and webhooks, or a worker's health endpoint. */
  readonly port: number;
  /** n8n's user folder: its SQLite database, encryption key and settings. */
  readonly userFolder: string;
  /** Packed community packages, installed into the user folder's `nodes/` before n8n starts. */
  readonly packages: readonly string[];
  /** Which pinned n8n runs; the default runtime's unless a suite asks for another. */
  readonly runtime?: Runtime;
  readonly env?: NodeJS.ProcessEnv;
}

export interface N8nProcess {
  readonly url: string;
  readonly logFile: string;
  /**
   * Stops n8n and starts it again on the same port, data and log, as an operator's restart does;
   * `whileStopped` runs in between (events a vendor sends while nobody listens).
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  /** Runs one of n8n's CLI commands (e.g. `export:workflow`) on this instance's data; resolves with its output. */
  cli(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function answers(url: string, withJson: boolean): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok && (!withJson || (response.headers.get('content-type') ?? '').includes('json'));
}

/**
 * n8n 1.x declares itself ready once its database is migrated, before the main instance has
 * mounted its REST API (until then the editor's page answers every path), so the main instance
 * is ready when its settings answer.
 */
const serves = async (url: string, role: N8nRole) => (await answers(`${url}/healthz/readiness`, false)) && (role !== 'start' || (await answers(`${url}/rest/settings`, true)));

async function waitUntilHealthy(url: string, role: N8nRole, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode} while starting; see ${logFile}`);
    try {
      if (await serves(url, role)) return;
    } catch {
      // Not listening yet.
    }
    await pause(500);
  }
  throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** A worker serves no editor; its health endpoint is how the harness knows it is up. */
const workerServer = (port: number) => ({
  QUEUE_HEALTH_CHECK_ACTIVE: 'true',
  QUEUE_HEALTH_CHECK_PORT: String(port),
  N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
});

/** Installs the packages as community packages, starts the pinned n8n on loopback, and waits until it serves. */
export async function startN8n(options: N8nOptions): Promise<N8nProcess> {
  const runtime = options.runtime ?? DEFAULT_RUNTIME;
  const resolved = { ...options, runtime };
  await installCommunityPackages(options.userFolder, options.packages, runtime);
  let running = await launch(resolved);
  return {
    url: running.url,
    logFile: running.logFile,
    async restart(whileStopped) {
      await running.stop();
      await whileStopped?.();
      running = await launch(resolved);
    },
    cli: (args) => runCommand(runtime.node24Bin, [runtime.n8nBin, ...args], { cwd: options.userFolder, env: n8nEnv(resolved, 'start') }),
    stop: () => running.stop(),
  };
}

/** How far above its HTTP port a single n8n's task broker listens (queue mode sets its own). */
const TASK_BROKER_DISTANCE = 1000;

type WithRuntime = N8nOptions & { readonly runtime: Runtime };

function n8nEnv(options: WithRuntime, role: N8nRole): NodeJS.ProcessEnv {
  const url = `http://127.0.0.1:${options.port}`;
  return node24Env(options.runtime, {
    N8N_USER_FOLDER: options.userFolder,
    N8N_PORT: String(options.port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    WEBHOOK_URL: `${url}/`,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_RUNNERS_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_LOG_LEVEL: 'info',
    // n8n's task broker listens on 5679 whatever N8N_PORT is, so a second n8n on the machine would fail to start.
    N8N_RUNNERS_BROKER_PORT: String(options.port + TASK_BROKER_DISTANCE),
    // A test runner's NODE_ENV=test makes n8n exit at start.
    NODE_ENV: 'production',
    ...(role === 'worker' ? workerServer(options.port) : {}),
    ...options.env,
  });
}

async function launch(options: WithRuntime): Promise<Omit<N8nProcess, 'restart' | 'cli'>> {
  const role = options.role ?? 'start';
  mkdirSync(options.userFolder, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  const logFile = join(options.userFolder, `n8n-${role}.log`);
  const owned = spawnOwned(options.runtime.node24Bin, [options.runtime.n8nBin, role], { env: n8nEnv(options, role), logFile });
  // n8n's own graceful shutdown waits up to 30 s for running executions.
  const stop = () => owned.stop('SIGTERM', 35_000);
  try {
    await waitUntilHealthy(url, role, owned.child, logFile, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, logFile, stop };
}
