import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RUNTIME, type Runtime } from './paths';
import { withProgress } from './progress';
import { runCommand } from './run-command';

const LOCK_FILES = ['package.json', 'package-lock.json'];

function lockDigest(runtime: Runtime): string {
  const hash = createHash('sha256');
  for (const file of LOCK_FILES) hash.update(readFileSync(join(runtime.source, file)));
  return hash.digest('hex');
}

/**
 * The environment without what an enclosing `npm run` exports: its npm_config_* (this
 * repository's ignore-scripts among them) would silently turn the native rebuild into a no-op.
 */
export function ownEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));
}

/** The environment that runs a runtime's n8n, its npm calls and its native rebuilds on Node 24. */
export function node24Env(runtime: Runtime, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...ownEnv(), PATH: `${join(runtime.node24Dir, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: runtime.node24Dir, ...extra };
}

const sqliteBinding = (runtime: Runtime) => join(runtime.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/**
 * Installs a pinned n8n (and Node 24) on first use, from its source folder's lockfile, and
 * reuses it while the lockfile is unchanged. Install scripts stay off (a Kafka native build
 * fails offline); sqlite3 is rebuilt against Node 24's headers.
 */
export async function ensureRuntime(log: (line: string) => void = console.log, runtime: Runtime = DEFAULT_RUNTIME): Promise<void> {
  const stamp = join(runtime.dir, '.installed-from');
  const digest = lockDigest(runtime);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && [runtime.n8nBin, runtime.node24Bin, sqliteBinding(runtime)].every((file) => existsSync(file))) return;
  rmSync(runtime.dir, { recursive: true, force: true });
  mkdirSync(runtime.dir, { recursive: true });
  for (const file of LOCK_FILES) cpSync(join(runtime.source, file), join(runtime.dir, file));
  await withProgress(`Installing n8n ${runtime.version} and Node 24 (first run only, about 5 minutes)`, () =>
    // `npm ci` rejects this lockfile over optional platform packages npm leaves out; `install` follows it all the same.
    runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: runtime.dir, env: ownEnv() }), log);
  const rebuild = await withProgress('Building sqlite3 for Node 24 (a minute or two)', () =>
    runCommand('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], { cwd: runtime.dir, env: node24Env(runtime) }), log);
  if (!existsSync(sqliteBinding(runtime))) throw new Error(`sqlite3 was not built for Node 24 (${sqliteBinding(runtime)} is missing):\n${rebuild.slice(-3000)}`);
  writeFileSync(stamp, digest);
}
