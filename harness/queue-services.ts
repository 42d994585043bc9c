import { execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { spawnOwned } from './children';
import { portAnswers } from './processes';
import { runCommand } from './run-command';
import { pause } from './wait';

/** A server from Debian's packages that the harness started; stopped with the stack. */
export interface Service {
  readonly port: number;
  readonly pid: number;
  /** Sends the server a signal: nginx reloads its configuration on SIGHUP. */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
const REDIS_SERVER = '/usr/bin/redis-server';

function postgresBin(name: string): string {
  const versions = existsSync(POSTGRES_ROOT) ? readdirSync(POSTGRES_ROOT).filter((entry) => existsSync(join(POSTGRES_ROOT, entry, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`PostgreSQL is not installed (nothing under ${POSTGRES_ROOT}): run "npm run queue:install".`);
  return join(POSTGRES_ROOT, newest, 'bin', name);
}

/** PostgreSQL refuses to run as root: there, its commands run as Debian's `postgres` user. */
function asDatabaseUser(command: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', command, ...args]];
}

async function waitForPort(name: string, port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await portAnswers(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port} within 30 s; see ${logFile}`);
    await pause(100);
  }
}

export async function startServer(name: string, [command, args]: [string, string[]], port: number, logFile: string): Promise<Service> {
  // Else a server left over from an interrupted run would answer in place of this one.
  if (await portAnswers(port)) throw new Error(`Cannot start ${name}: something already listens on 127.0.0.1:${port} (left over from an interrupted run?).`);
  const owned = spawnOwned(command, args, { logFile });
  const child = owned.child;
  // SIGINT is PostgreSQL's fast shutdown; Redis and nginx stop on it as well.
  const stop = () => owned.stop('SIGINT', 15_000);
  try {
    await waitForPort(name, port, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: child.pid ?? -1, signal: (name) => child.kill(name), stop };
}

/**
 * A throwaway PostgreSQL cluster on loopback, trusting local connections, its log in `folder`.
 * Durability is switched off: the data lives for one test run. The data sits in the system's
 * temporary folder, which the `postgres` user can reach wherever the checkout is.
 */
export async function startPostgres(folder: string, port: number): Promise<Service> {
  const data = join(tmpdir(), `convhooks-postgres-${port}`);
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  mkdirSync(folder, { recursive: true });
  if (userInfo().uid === 0) chownSync(data, ...postgresOwner());
  await runCommand(...asDatabaseUser(postgresBin('initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']), { cwd: tmpdir() });
  const args = ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', data, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const server = await startServer('PostgreSQL', asDatabaseUser(postgresBin('postgres'), args), port, join(folder, 'postgres.log'));
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function postgresOwner(): [number, number] {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return [id('-u'), id('-g')];
}

/** A Redis on loopback that keeps nothing on disk. */
export async function startRedis(folder: string, port: number): Promise<Service> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`Redis is not installed (${REDIS_SERVER} is missing): run "npm run queue:install".`);
  mkdirSync(folder, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder];
  return startServer('Redis', [REDIS_SERVER, args], port, join(folder, 'redis.log'));
}
