import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type StartOptions } from '../simulator';
import { N8nApi } from './n8n-api';
import { startN8n, type N8nProcess } from './n8n-process';
import { packPackages } from './community-packages';
import { triggerPackageFolders } from './n8n-packages';
import { DEFAULT_RUNTIME, ROOT, STATE_DIR, type Runtime } from './paths';
import { withProgress } from './progress';
import { runCommand } from './run-command';
import { ensureRuntime } from './runtime';

export interface StackOptions {
  readonly n8nPort: number;
  /** A folder under `.n8n/` for this stack's n8n data, emptied at start. */
  readonly name: string;
  readonly simulator?: StartOptions;
  readonly n8nEnv?: NodeJS.ProcessEnv;
  /** Which pinned n8n to run; the default runtime's unless a suite asks for another. */
  readonly runtime?: Runtime;
}

/** What deployments and tests need of any n8n setup: the vendors' simulator and n8n's API. */
export interface N8nStack {
  readonly sim: RunningSimulator;
  readonly api: N8nApi;
  /** n8n's WEBHOOK_URL, without the trailing slash: where vendors deliver. */
  readonly webhookBase: string;
}

export interface Stack extends N8nStack {
  readonly n8n: N8nProcess;
  stop(): Promise<void>;
}

/**
 * Installs the pinned n8n (the default runtime, or the one named) when missing, then builds the n8n packages and packs each into
 * `destination`; resolves with the tarballs, for n8n to install as community packages.
 */
export async function preparePackage(log: (line: string) => void, destination: string, runtime: Runtime = DEFAULT_RUNTIME): Promise<string[]> {
  await ensureRuntime(log, runtime);
  await withProgress('Building the n8n packages', () => runCommand('npm', ['run', 'build', '--silent'], { cwd: ROOT }), log);
  return packPackages(triggerPackageFolders(), destination);
}

/** Builds and packs the packages, then runs the simulator and a fresh local n8n with them installed. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const userFolder = join(STATE_DIR, options.name);
  rmSync(userFolder, { recursive: true, force: true });
  const packages = await preparePackage(console.log, join(userFolder, 'packed'), options.runtime);
  const sim = await startSimulator(options.simulator);
  let n8n: N8nProcess;
  try {
    n8n = await withProgress(`Starting n8n on port ${options.n8nPort}`, () => startN8n({ port: options.n8nPort, userFolder, packages, env: options.n8nEnv, runtime: options.runtime }));
  } catch (error) {
    await sim.close();
    throw error;
  }
  const stop = async () => {
    await n8n.stop();
    await sim.close();
  };
  let api: N8nApi;
  try {
    api = await N8nApi.asOwner(n8n.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { sim, n8n, api, webhookBase: n8n.url, stop };
}
