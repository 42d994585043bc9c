import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type StartOptions } from '../simulator';
import { startBalancer, type Balancer } from './balancer';
import { N8nApi } from './n8n-api';
import { startN8n, type N8nProcess, type N8nRole } from './n8n-process';
import { WEBHOOK_VOLUME_SETTINGS } from './n8n-tuning';
import { STATE_DIR } from './paths';
import { withProgress } from './progress';
import { startPostgres, startRedis, type Service } from './queue-services';
import { preparePackage, type N8nStack } from './stack';

export interface QueueStackOptions {
  /**
   * The first of eleven consecutive loopback ports: balancer, main, two processors, worker,
   * PostgreSQL, Redis, then each n8n process's task broker.
   */
  readonly basePort: number;
  /** A folder under `.n8n/`, emptied at start. */
  readonly name: string;
  readonly simulator?: StartOptions;
}

export interface QueueStack extends N8nStack {
  readonly main: N8nProcess;
  readonly processors: readonly N8nProcess[];
  readonly worker: N8nProcess;
  /** In front of the processors; n8n's production webhook URLs point here. */
  readonly balancer: Balancer;
  /** The Redis that holds n8n's queue, for a test that must change what the queue holds. */
  readonly redisPort: number;
  stop(): Promise<void>;
}

/** Waits for every start, so that a failed one leaves no sibling still starting (and unstopped). */
async function allStarted<T>(starting: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * n8n in queue mode, as a team runs it at scale: PostgreSQL and Redis, one main instance (editor,
 * API, activation), two webhook processors behind a load balancer, and one worker executing
 * from the queue. Each process has its own user folder, with the same packed packages installed in it,
 * as n8n's installer puts a package on every instance.
 */
export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
  const port = (offset: number) => options.basePort + offset;
  const folder = join(STATE_DIR, options.name);
  rmSync(folder, { recursive: true, force: true });
  const packages = await preparePackage(console.log, join(folder, 'packed'));

  // Stopped last-started first, so n8n goes before the servers it uses.
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  const track = <T extends { stop(): Promise<void> }>(service: T) => {
    stops.push(() => service.stop());
    return service;
  };
  try {
    const [postgres, redis]: Service[] = await withProgress('Starting PostgreSQL and Redis', () =>
      allStarted([startPostgres(join(folder, 'postgres'), port(5)).then(track), startRedis(join(folder, 'redis'), port(6)).then(track)]));
    const balancerUrl = `http://127.0.0.1:${port(0)}`;
    const env: NodeJS.ProcessEnv = {
      EXECUTIONS_MODE: 'queue',
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      DB_POSTGRESDB_PORT: String(postgres!.port),
      DB_POSTGRESDB_DATABASE: 'postgres',
      DB_POSTGRESDB_USER: 'n8n',
      QUEUE_BULL_REDIS_HOST: '127.0.0.1',
      QUEUE_BULL_REDIS_PORT: String(redis!.port),
      // Every process decrypts the same credentials.
      N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
      WEBHOOK_URL: `${balancerUrl}/`,
      // Queue mode is how teams run at volume, so it is tested with the settings recommended for it.
      ...WEBHOOK_VOLUME_SETTINGS,
    };
    const launch = (role: N8nRole, offset: number, name: string) =>
      startN8n({ role, port: port(offset), userFolder: join(folder, name), packages, env: { ...env, N8N_RUNNERS_BROKER_PORT: String(port(offset + 6)) } }).then(track);
    // The main instance creates the schema; the others start on it.
    const main = await withProgress(`Starting n8n main on port ${port(1)}`, () => launch('start', 1, 'main'));
    const [first, second, worker] = await withProgress('Starting two webhook processors and a worker', () =>
      allStarted([launch('webhook', 2, 'webhook-1'), launch('webhook', 3, 'webhook-2'), launch('worker', 4, 'worker')]));
    const processors = [first!, second!];
    const balancer = await startBalancer(processors.map((processor) => processor.url), port(0), join(folder, 'nginx'));
    stops.push(balancer.close);
    const sim = await startSimulator(options.simulator);
    stops.push(sim.close);
    const api = await N8nApi.asOwner(main.url);
    return { sim, api, webhookBase: balancer.url, main, processors, worker: worker!, balancer, redisPort: redis!.port, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
