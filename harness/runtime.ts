import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageLayout } from '../scripts/generate/layout';
import { VENDORS, type VendorDefinition } from '../shared';
import { N8N_BIN, NODE24_BIN, NODE24_DIR, RUNTIME_DIR, RUNTIME_SOURCE } from './paths';
import { withProgress } from './progress';
import { runCommand } from './run-command';

const STAMP = join(RUNTIME_DIR, '.installed-from');

function lockDigest(): string {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(RUNTIME_SOURCE, file)));
  return hash.digest('hex');
}

/**
 * The environment without what an enclosing `npm run` exports: its npm_config_* (this
 * repository's ignore-scripts among them) would silently turn the native rebuild into a no-op.
 */
function ownEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));
}

/** The environment that runs n8n and its native rebuilds on Node 24. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...ownEnv(), PATH: `${join(NODE24_DIR, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: NODE24_DIR, ...extra };
}

const SQLITE_BINDING = join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/**
 * Installs the pinned n8n (and Node 24) on first use, from `n8n-runtime/`'s lockfile, and
 * reuses it while the lockfile is unchanged. Install scripts stay off (a Kafka native build
 * fails offline); sqlite3 is rebuilt against Node 24's headers.
 */
export async function ensureRuntime(log: (line: string) => void = console.log): Promise<void> {
  const digest = lockDigest();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest && [N8N_BIN, NODE24_BIN, SQLITE_BINDING].every((file) => existsSync(file))) return;
  rmSync(RUNTIME_DIR, { recursive: true, force: true });
  mkdirSync(RUNTIME_DIR, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(RUNTIME_SOURCE, file), join(RUNTIME_DIR, file));
  await withProgress('Installing n8n 2.41.1 and Node 24 (first run only, about 4 minutes)', () =>
    // `npm ci` rejects this lockfile over optional platform packages npm leaves out; `install` follows it all the same.
    runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: RUNTIME_DIR, env: ownEnv() }), log);
  const rebuild = await withProgress('Building sqlite3 for Node 24 (about 1 minute)', () =>
    runCommand('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], { cwd: RUNTIME_DIR, env: node24Env() }), log);
  if (!existsSync(SQLITE_BINDING)) throw new Error(`sqlite3 was not built for Node 24 (${SQLITE_BINDING} is missing):\n${rebuild.slice(-3000)}`);
  writeFileSync(STAMP, digest);
}

/**
 * Puts each vendor's n8n package exactly as `npm pack` ships it into the runtime, where it
 * resolves n8n's own zod and n8n-workflow, as a community package does. Returns their `dist`
 * folders.
 */
export async function installPackages(): Promise<string[]> {
  const work = join(tmpdir(), `convhooks-pack-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const installed: string[] = [];
    for (const vendor of Object.values(VENDORS) as VendorDefinition[]) {
      const { folder, packageName } = packageLayout(vendor);
      const packed = JSON.parse(await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], { cwd: folder }));
      const unpacked = join(work, packageName);
      mkdirSync(unpacked);
      await runCommand('tar', ['xzf', join(work, packed[0].filename), '-C', unpacked], { cwd: work });
      const target = join(RUNTIME_DIR, 'node_modules', packageName);
      rmSync(target, { recursive: true, force: true });
      cpSync(join(unpacked, 'package'), target, { recursive: true });
      installed.push(join(target, 'dist'));
    }
    return installed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
